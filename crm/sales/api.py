"""REST API of deals: /api/v1/deals/. Same rules as the pages (crm/sales/services.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from crm.accounts.models import User
from crm.categories.models import DealStatus, Pipeline, pipeline_default
from crm.common.api import AuthedApiRequest, ModelSerializer, related_field
from crm.contacts.models import Customer
from crm.customfields.api import CUSTOM_FIELDS_RULE, CustomFieldsField, custom_list_filter
from crm.sales import services
from crm.sales.customers import customers_visible_to
from crm.sales.models import Deal
from crm.sales.selectors import DEAL_DEFAULT_SORT, DEAL_SORTS, deals_in_pipeline_q, deals_visible_to, open_deals_q


def int_param(params: Mapping[str, Any], name: str) -> int | None:
    """Query parameter `name` of a list (`request.query_params`) as an integer; 400 naming it otherwise."""
    raw = params.get(name)
    if not raw:  # None or ""
        return None
    try:
        return int(raw)
    except ValueError:
        raise serializers.ValidationError({name: [_("Podaj liczbę całkowitą.")]}) from None


class DealSerializer(ModelSerializer):
    """A deal. Status Wygrane requires `win_reason`, Przegrane requires `loss_reason`;
    both set `closed_at`, any other status clears it (and the reasons)."""

    custom_fields = CustomFieldsField(model="deal")

    value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    currency = serializers.RegexField(
        r"^[A-Z]{3}$",
        required=False,
        help_text=_("Kod ISO 4217, domyślnie PLN."),
        error_messages={"invalid": _("Podaj kod waluty z trzech wielkich liter, np. PLN lub EUR.")},
    )
    status = serializers.PrimaryKeyRelatedField(queryset=DealStatus.objects.all(), required=False)
    status_code = serializers.CharField(source="status.code", read_only=True)
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none())
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    pipeline = serializers.PrimaryKeyRelatedField(
        queryset=Pipeline.objects.all(),
        required=False,
        help_text="Pipeline id; default: the stage's pipeline, else the default pipeline.",
    )

    # Rules across fields, for the OpenAPI schema (`x-rules`, crm/accounts/openapi.py).
    openapi_rules = {
        **CUSTOM_FIELDS_RULE,
        "win_reason": "Required when `status` is the won status (`status_code` won).",
        "loss_reason": "Required when `status` is the lost status (`status_code` lost).",
        "stage": "A stage of the deal's `pipeline` (a stage of another pipeline is refused with 400). "
        "Changing `pipeline` alone moves the deal to the first stage of the new pipeline.",
    }

    class Meta:
        model = Deal
        fields = (
            "custom_fields",
            "id",
            "name",
            "customer",
            "value",
            "currency",
            "category",
            "status",
            "status_code",
            "pipeline",
            "stage",
            "win_reason",
            "loss_reason",
            "owner",
            "expected_close",
            "closed_at",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("closed_at", "created_at", "updated_at")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            related_field(fields, "customer").queryset = customers_visible_to(request.user)
        return fields

    def to_representation(self, instance: Deal) -> dict[str, Any]:
        data = super().to_representation(instance)
        if data.get("pipeline") is None:  # a deal older than pipelines: its stage's, else the default
            stage_pipeline = instance.stage.pipeline_id if instance.stage is not None else None
            data["pipeline"] = stage_pipeline or pipeline_default().pk
        return data

    def create(self, validated_data: dict[str, Any]) -> Deal:
        return services.deal_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance: Deal, validated_data: dict[str, Any]) -> Deal:
        return services.deal_update(deal=instance, actor=self.context["request"].user, **validated_data)


DEAL_FILTERS = [
    OpenApiParameter("status", OpenApiTypes.INT, description="Status id."),
    OpenApiParameter("stage", OpenApiTypes.INT, description="Stage id."),
    OpenApiParameter("pipeline", OpenApiTypes.INT, description="Pipeline id: the deals of that pipeline."),
    OpenApiParameter("owner", OpenApiTypes.INT, description="Owner (user) id."),
    OpenApiParameter("category", OpenApiTypes.INT, description="Category id."),
    OpenApiParameter("customer", OpenApiTypes.INT, description="Customer id."),
    OpenApiParameter("open", OpenApiTypes.BOOL, description="Only deals in the open pipeline (W toku or custom)."),
    OpenApiParameter(
        "ordering",
        OpenApiTypes.STR,
        enum=list(DEAL_SORTS),
        description="Order of the list (`-` descending); `name` is Polish alphabetical order. Default: `-created`.",
    ),
]


def deal_api_list(*, user: User, params: Mapping[str, Any]) -> QuerySet[Deal]:
    """The deals `GET /api/v1/deals/` lists for these query parameters (DEAL_FILTERS and
    `cf_<key>`); also the set a bulk action's `filter` names (crm.bulk)."""
    deals = deals_visible_to(user).select_related("status", "stage")
    ordering = params.get("ordering") or DEAL_DEFAULT_SORT
    if ordering not in DEAL_SORTS:
        raise serializers.ValidationError({"ordering": [_("Wybierz jedną z wartości: %s.") % ", ".join(DEAL_SORTS)]})
    deals = deals.order_by(*DEAL_SORTS[ordering])
    for name in ("status", "stage", "owner", "category", "customer"):
        value = int_param(params, name)
        if value is not None:
            deals = deals.filter(**{f"{name}_id": value})
    pipeline_id = int_param(params, "pipeline")
    if pipeline_id is not None:
        pipeline = Pipeline.objects.filter(pk=pipeline_id).first()
        if pipeline is None:
            raise serializers.ValidationError({"pipeline": [_("Nie ma takiego lejka.")]})
        deals = deals.filter(deals_in_pipeline_q(pipeline))
    if params.get("open") in ("1", "true", "True"):
        deals = deals.filter(open_deals_q())
    if any(str(key).startswith("cf_") for key in params):
        deals, _found = custom_list_filter(deals, model="deal", params=params)
    return deals


@extend_schema_view(list=extend_schema(parameters=DEAL_FILTERS))
class DealViewSet(viewsets.ModelViewSet):
    """Deals (szanse sprzedaży) the caller may see. A restricted Pracownik sees only
    deals they own; another company's deal id is a 404. Every change of stage or
    status is recorded on the customer's timeline."""

    request: AuthedApiRequest
    serializer_class = DealSerializer

    queryset = Deal.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> QuerySet[Deal]:
        if getattr(self, "swagger_fake_view", False):
            return Deal.objects.none()
        if self.action != "list":
            return deals_visible_to(self.request.user).select_related("status", "stage").order_by("-created_at", "-id")
        return deal_api_list(user=self.request.user, params=self.request.query_params)

    def perform_destroy(self, instance: Deal) -> None:
        services.deal_delete(deal=instance, actor=self.request.user)
