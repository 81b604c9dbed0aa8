"""REST API of contracts: /api/v1/contracts/ (+ <id>/send/, <id>/renew/) and the list of
contract types /api/v1/contract-types/ (read-only; Szef keeps it in Settings). Same rules
as the pages (crm/contracts/services.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.accounts.models import User
from crm.common.api import AuthedApiRequest, ModelSerializer, query_param, related_field
from crm.common.params import ApiDateField
from crm.contacts.models import Customer
from crm.contacts.selectors import customers_visible_to
from crm.contracts import services
from crm.contracts.emails import contract_public_url
from crm.contracts.models import Contract, ContractStatus, ContractType
from crm.contracts.selectors import contract_change_check, contract_list
from crm.sales.models import Deal
from crm.sales.selectors import deals_visible_to


class ContractTypeSerializer(ModelSerializer):
    class Meta:
        model = ContractType
        fields = ("id", "name", "color", "position")
        read_only_fields = fields


class ContractSerializer(ModelSerializer):
    """A contract. Created as a draft; `POST <id>/send/` e-mails the customer the link to
    its public page, where the customer signs (`signed_at`, `signed_by`, `signed_ip`,
    `signed_hash` are recorded then). `status` may be set to draft, active, expired or
    terminated; sent and signed come from sending and the signature."""

    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none())
    deal = serializers.PrimaryKeyRelatedField(queryset=Deal.objects.none(), required=False, allow_null=True)
    type = serializers.PrimaryKeyRelatedField(queryset=ContractType.objects.all(), required=False, allow_null=True)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    subject = serializers.CharField(max_length=200)
    value = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=services.MAX_VALUE,
        required=False,
        error_messages={"min_value": _("Wartość umowy nie może być ujemna.")},
    )
    currency = serializers.RegexField(
        r"^[A-Z]{3}$",
        required=False,
        help_text=_("Kod ISO 4217; domyślnie waluta szansy sprzedaży albo PLN."),
        error_messages={"invalid": _("Podaj kod waluty z trzech wielkich liter, np. PLN lub EUR.")},
    )
    start_date = ApiDateField(required=False, help_text=_("Domyślnie dziś."))
    end_date = ApiDateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=ContractStatus.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=50000)
    public_url = serializers.SerializerMethodField()

    openapi_rules = {
        "subject": "Must contain more than whitespace.",
        "end_date": "Must not be earlier than `start_date`.",
        "deal": "Must be a deal of `customer`.",
        "status": "Only draft, active, expired or terminated can be set.",
        "non_field_errors": "A signed contract's content cannot change.",
    }

    class Meta:
        model = Contract
        fields = (
            "id",
            "subject",
            "customer",
            "deal",
            "type",
            "value",
            "currency",
            "start_date",
            "end_date",
            "status",
            "signed_at",
            "signed_by",
            "signed_ip",
            "signed_hash",
            "description",
            "owner",
            "renewed_from",
            "sent_at",
            "reminded_at",
            "public_url",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            "signed_at",
            "signed_by",
            "signed_ip",
            "signed_hash",
            "renewed_from",
            "sent_at",
            "reminded_at",
            "created_at",
            "updated_at",
        )

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            related_field(fields, "customer").queryset = customers_visible_to(request.user)
            related_field(fields, "deal").queryset = deals_visible_to(request.user)
        return fields

    def get_public_url(self, contract: Contract) -> str | None:
        """The customer's page (no login), once the contract has been sent."""
        if contract.status == ContractStatus.DRAFT:
            return None
        return contract_public_url(contract)

    def create(self, validated: dict[str, Any]) -> Contract:
        return services.contract_create(actor=self.context["request"].user, **validated)

    def update(self, instance: Contract, validated: dict[str, Any]) -> Contract:
        return services.contract_update(contract=instance, actor=self.context["request"].user, **validated)


class ContractSendSerializer(serializers.Serializer):
    to = serializers.ListField(
        child=serializers.EmailField(), min_length=1, max_length=services.MAX_RECIPIENTS, required=False,
        help_text=_("Adresy odbiorców; domyślnie e-mail klienta."),
    )  # fmt: skip
    message = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    openapi_rules = {"to": "Required when the customer has no e-mail address."}


class ContractRenewSerializer(serializers.Serializer):
    start_date = ApiDateField()
    end_date = ApiDateField(required=False, allow_null=True)

    openapi_rules = {"end_date": "Must not be earlier than `start_date`."}


CONTRACT_FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=ContractStatus.values, description="Status."),
    OpenApiParameter("type", OpenApiTypes.INT, description="Contract type id."),
    OpenApiParameter("customer", OpenApiTypes.INT, description="Customer id."),
    OpenApiParameter("deal", OpenApiTypes.INT, description="Deal id."),
    OpenApiParameter("owner", OpenApiTypes.INT, description="Owner (user) id."),
    OpenApiParameter("search", OpenApiTypes.STR, description="Subject or customer name."),
]


@extend_schema_view(list=extend_schema(parameters=CONTRACT_FILTERS))
class ContractViewSet(viewsets.ModelViewSet):
    """Contracts (umowy) the caller may see; another company's contract id is a 404. A
    Pracownik changes, sends and deletes his own contracts (a restricted one sees only those)."""

    request: AuthedApiRequest
    serializer_class = ContractSerializer
    queryset = Contract.objects.none()

    def get_queryset(self) -> QuerySet[Contract]:
        if getattr(self, "swagger_fake_view", False):
            return Contract.objects.none()
        status_ = ""
        filters: dict[str, Any] = {}
        if self.action == "list":
            status_ = self.request.query_params.get("status", "")
            if status_ and status_ not in ContractStatus.values:
                raise serializers.ValidationError({"status": [_("Wybierz status z listy.")]})
            filters = {f"{name}_id": query_param(self.request, name) for name in ("type", "customer", "deal", "owner")}
        return contract_list(
            user=self.request.user, query=self.request.query_params.get("search", ""), status=status_, **filters
        )

    def perform_update(self, serializer: Any) -> None:
        contract_change_check(self.request.user, serializer.instance)
        serializer.save()

    def perform_destroy(self, instance: Contract) -> None:
        services.contract_delete(contract=instance, actor=self.request.user)

    def _answer(self, contract: Contract, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=contract.pk)
        return Response(ContractSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ContractSendSerializer, responses=ContractSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str | None = None) -> Response:
        """E-mail the customer the link to the contract's page, where it is signed."""
        contract = self.get_object()
        body = ContractSendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        to = body.validated_data.get("to") or ([contract.customer.email] if contract.customer.email else [])
        sent = services.contract_send(
            contract=contract, actor=self.request.user, to=to, message=body.validated_data.get("message", "")
        )
        return self._answer(sent)

    @extend_schema(request=ContractRenewSerializer, responses={201: ContractSerializer})
    @action(detail=True, methods=["post"])
    def renew(self, request: Request, pk: str | None = None) -> Response:
        """A new draft with this contract's content and new dates, linked to it (`renewed_from`)."""
        contract = self.get_object()
        body = ContractRenewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        renewal = services.contract_renew(
            contract=contract,
            actor=self.request.user,
            start_date=body.validated_data["start_date"],
            end_date=body.validated_data.get("end_date"),
        )
        return self._answer(renewal, status.HTTP_201_CREATED)


class ContractTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """Contract types (typy umów) with their colours; Szef changes them in Settings > Umowy."""

    serializer_class = ContractTypeSerializer
    queryset = ContractType.objects.all()
