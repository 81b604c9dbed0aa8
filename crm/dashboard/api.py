"""REST: the home page figures and the reports' rows, as numbers."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.common.api import AuthedApiRequest
from crm.dashboard.forms import ReportFilterForm
from crm.dashboard.home import home_figures
from crm.dashboard.periods import WINDOW_DAYS, days_parse
from crm.dashboard.reports import REPORTS, report_build
from crm.dashboard.selectors import scope_for

REPORT_PARAMS = [
    OpenApiParameter("user", OpenApiTypes.INT, description="owner / assignee / author id"),
    OpenApiParameter("group", OpenApiTypes.INT, description="customer group id"),
    OpenApiParameter("pipeline", OpenApiTypes.INT, description="pipeline id (the sales reports)"),
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
]


class DashboardView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("days", OpenApiTypes.INT, enum=list(WINDOW_DAYS), default=7)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: AuthedApiRequest) -> Response:
        days = days_parse(request.query_params.get("days"))
        if days is None:
            return Response({"days": [_("Parametr days musi mieć wartość 3, 7 lub 30.")]}, status=400)
        return Response(home_figures(scope=scope_for(request.user), days=days))


class ReportView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(REPORTS)),
            *REPORT_PARAMS,
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: AuthedApiRequest, name: str) -> Response:
        if name not in REPORTS:
            raise Http404
        form = ReportFilterForm(request.query_params)
        if not form.is_valid():
            return Response(form.errors.get_json_data(), status=400)
        filters = form.filters()
        report = report_build(name, scope=scope_for(request.user), filters=filters)
        return Response(
            {
                "name": report.name,
                "filters": {
                    "user": filters.user_id,
                    "group": filters.group_id,
                    "date_from": filters.date_from,
                    "date_to": filters.date_to,
                    "pipeline": filters.pipeline_id,
                },
                "columns": [key for key, _label in report.columns],
                "rows": report.rows,
            }
        )
