"""REST API of a company host, under /api/v1/."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse


@extend_schema(responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def api_root(request: Request) -> Response:
    return Response({"token": reverse("api-token", request=request)})


urlpatterns = [
    path("", api_root, name="api-root"),
    path("auth/", include("crm.accounts.api_urls")),
    path("", include("crm.bulk.api_urls")),  # before the routers: their `<pk>/` would take "bulk"
    path("", include("crm.contacts.api_urls")),
    path("", include("crm.privacy.api_urls")),
    path("", include("crm.tasks.api_urls")),
    path("", include("crm.sales.api_urls")),
    path("", include("crm.invoicing.api_urls")),
    path("", include("crm.catalog.api_urls")),
    path("", include("crm.kb.api_urls")),
    path("", include("crm.offers.api_urls")),
    path("", include("crm.contracts.api_urls")),
    path("", include("crm.leads.api_urls")),
    path("", include("crm.tickets.api_urls")),
    path("", include("crm.emails.api_urls")),
    path("", include("crm.projects.api_urls")),
    path("", include("crm.portal.api_urls")),
    path("", include("crm.expenses.api_urls")),
    path("", include("crm.timetracking.api_urls")),
    path("", include("crm.notes.api_urls")),
    path("", include("crm.notifications.api_urls")),
    path("settings/", include("crm.backups.api_urls")),
    path("settings/", include("crm.settings.api_urls")),
    path("settings/", include("crm.emails.api_urls_settings")),
    path("", include("crm.activity.api_urls")),
    path("", include("crm.dashboard.api_urls")),
    path("", include("crm.invoicing.api_urls_payments")),
]
