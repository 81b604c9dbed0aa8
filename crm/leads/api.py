"""REST API of leads: /api/v1/leads/ (+ <id>/convert/) and the list of lead statuses
/api/v1/lead-statuses/ (read-only; Szef keeps it in Settings). Same rules as the pages
(crm/leads/services.py)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.accounts.models import User
from crm.common.api import AuthedApiRequest, ModelSerializer, params_value
from crm.customfields.api import CUSTOM_FIELDS_RULE, CustomFieldsField, custom_list_filter
from crm.leads import services
from crm.leads.models import Lead, LeadStatus
from crm.leads.selectors import ORDERINGS, lead_change_check, lead_list, leads_visible_to


class LeadStatusSerializer(ModelSerializer):
    class Meta:
        model = LeadStatus
        fields = ("id", "name", "color", "position", "locked", "code")
        read_only_fields = fields


class LeadSerializer(ModelSerializer):
    """A lead (a possible customer). `status` is a lead status id; the locked status with
    code `lost` needs `lost_reason`, the one with code `converted` comes only from
    `POST <id>/convert/`, which also sets `converted_customer`."""

    name = serializers.CharField(max_length=200)
    status = serializers.PrimaryKeyRelatedField(queryset=LeadStatus.objects.all(), required=False)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    value = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=services.MAX_VALUE,
        required=False,
        error_messages={"min_value": _("Wartość nie może być ujemna.")},
    )
    email = serializers.EmailField(required=False, allow_blank=True)
    custom_fields = CustomFieldsField(model="lead")

    openapi_rules = {
        **CUSTOM_FIELDS_RULE,
        "name": "Must contain more than whitespace.",
        "tax_id": "A Polish NIP (10 digits, checksum) or an EU VAT id.",
        "lost_reason": "Required when `status` is the status with code `lost`.",
        "status": "The status with code `converted` is set only by converting.",
    }

    class Meta:
        model = Lead
        fields = (
            "id",
            "name",
            "company_name",
            "email",
            "phone",
            "tax_id",
            "position",
            "source",
            "status",
            "lost_reason",
            "owner",
            "value",
            "description",
            "custom_fields",
            "converted_customer",
            "converted_contact",
            "converted_deal",
            "converted_at",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            "converted_customer",
            "converted_contact",
            "converted_deal",
            "converted_at",
            "created_at",
            "updated_at",
        )

    def create(self, validated: dict[str, Any]) -> Lead:
        return services.lead_create(actor=self.context["request"].user, **validated)

    def update(self, instance: Lead, validated: dict[str, Any]) -> Lead:
        return services.lead_update(lead=instance, actor=self.context["request"].user, **validated)


class LeadConvertSerializer(serializers.Serializer):
    create_deal = serializers.BooleanField(required=False, default=False)
    deal_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    deal_value = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=services.MAX_VALUE,
        required=False,
        allow_null=True,
        help_text=_("Domyślnie szacowana wartość leada."),
    )

    openapi_rules = {"detail": "A lead is converted once: converting it again is refused."}


ConvertAnswer = inline_serializer(
    name="LeadConversion",
    fields={
        "customer": serializers.IntegerField(),
        "contact": serializers.IntegerField(allow_null=True),
        "deal": serializers.IntegerField(allow_null=True),
    },
)

LEAD_FILTERS = [
    OpenApiParameter("status", OpenApiTypes.INT, description="Lead status id."),
    OpenApiParameter("source", OpenApiTypes.INT, description="Contact source id."),
    OpenApiParameter("owner", OpenApiTypes.INT, description="Owner (user) id."),
    OpenApiParameter("open", OpenApiTypes.BOOL, description="Only leads neither converted nor lost."),
    OpenApiParameter(
        "search",
        OpenApiTypes.STR,
        description="Name, company, e-mail, phone, NIP, position or a textual custom field's value.",
    ),
    OpenApiParameter("ordering", OpenApiTypes.STR, enum=list(ORDERINGS), description="Sort order."),
]


def lead_api_list(*, user: User, params: Mapping[str, Any]) -> QuerySet[Lead]:
    """The leads `GET /api/v1/leads/` lists for these query parameters (LEAD_FILTERS and
    `cf_<key>`); also the set a bulk action's `filter` names (crm.bulk)."""
    ordering = str(params.get("ordering", ""))
    if ordering and ordering not in ORDERINGS:
        raise serializers.ValidationError({"ordering": [_("Wybierz sortowanie z listy.")]})
    open_only = str(params.get("open", "")).lower()
    if open_only not in ("", "true", "false", "1", "0"):
        raise serializers.ValidationError({"open": [_("Podaj true albo false.")]})
    leads = lead_list(
        user=user,
        query=str(params.get("search", "")),
        status_id=params_value(params, "status"),
        source_id=params_value(params, "source"),
        owner_id=params_value(params, "owner"),
        open_only=open_only in ("true", "1"),
        ordering=ordering,
    )
    if any(str(key).startswith("cf_") for key in params):
        leads, _found = custom_list_filter(leads, model="lead", params=params)
    return leads


@extend_schema_view(list=extend_schema(parameters=LEAD_FILTERS))
class LeadViewSet(viewsets.ModelViewSet):
    """Leads the caller may see; another company's lead id is a 404. A Pracownik changes,
    converts and deletes his own leads (a restricted one sees only those). `?cf_<key>=`
    filters by a custom field."""

    request: AuthedApiRequest
    serializer_class = LeadSerializer
    queryset = Lead.objects.none()

    def get_queryset(self) -> QuerySet[Lead]:
        if getattr(self, "swagger_fake_view", False):
            return Lead.objects.none()
        if self.action != "list":
            return leads_visible_to(self.request.user).select_related("status", "source", "owner")
        return lead_api_list(user=self.request.user, params=self.request.query_params)

    def perform_update(self, serializer: Any) -> None:
        lead_change_check(self.request.user, serializer.instance)
        serializer.save()

    def perform_destroy(self, instance: Lead) -> None:
        services.lead_delete(lead=instance, actor=self.request.user)

    @extend_schema(request=LeadConvertSerializer, responses={200: ConvertAnswer})
    @action(detail=True, methods=["post"])
    def convert(self, request: Request, pk: str | None = None) -> Response:
        """Convert the lead: the customer (found by NIP or e-mail, or created), its contact
        person and optionally a deal; notes, files and tasks move to the customer. A
        converted lead is refused (400 with a message)."""
        lead = self.get_object()
        body = LeadConvertSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        conversion = services.lead_convert(
            lead=lead,
            actor=self.request.user,
            create_deal=data["create_deal"],
            deal_name=data.get("deal_name", ""),
            deal_value=data.get("deal_value"),
        )
        return Response(
            {
                "customer": conversion.customer.pk,
                "contact": conversion.contact.pk if conversion.contact else None,
                "deal": conversion.deal.pk if conversion.deal else None,
            },
            status=status.HTTP_200_OK,
        )


class LeadStatusViewSet(viewsets.ReadOnlyModelViewSet):
    """Lead statuses (statusy leadów) with their colours; Szef changes them in Settings."""

    serializer_class = LeadStatusSerializer
    queryset = LeadStatus.objects.all()
