"""REST API of customers and contact persons: /api/v1/customers/, /api/v1/contacts/.

Same rules as the pages (crm/contacts/services.py) and the same visibility
(crm/contacts/selectors.py): a restricted Pracownik sees and creates only their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.accounts.access import sees_everything
from crm.accounts.models import User
from crm.categories.models import ContactGroup, ContactSource, CustomerStatus, CustomerType
from crm.common.api import AuthedApiRequest, ModelSerializer, related_field
from crm.common.params import id_param
from crm.contacts import services
from crm.contacts.consents_view import ConsentsField
from crm.contacts.merge import CustomerMergeError, customer_merge
from crm.contacts.models import ContactPerson, Customer, PortalPermission
from crm.contacts.selectors import (
    SORTS,
    CustomerFilters,
    contacts_visible_to,
    customer_list,
    customers_visible_to,
    search_planner,
)
from crm.customfields.api import CUSTOM_FIELDS_RULE, CustomFieldsField, CustomFieldsFilterMixin, custom_filters_check


def _everything(request: AuthedApiRequest) -> bool:
    cached = getattr(request, "_imcrm_sees_everything", None)
    if cached is None:
        cached = sees_everything(request.user)
        request._imcrm_sees_everything = cached  # type: ignore[attr-defined]
    return bool(cached)


class CustomerSerializer(ModelSerializer):
    """A customer: a company (`kind`=company) or a person. `tax_id` is a Polish NIP
    (checksum verified, stored as 10 digits) or an EU VAT id with its country code."""

    custom_fields = CustomFieldsField(model="customer")
    consents = ConsentsField(kind="customer")
    openapi_rules = CUSTOM_FIELDS_RULE

    status = serializers.PrimaryKeyRelatedField(queryset=CustomerStatus.objects.all(), required=False, allow_null=True)
    type = serializers.PrimaryKeyRelatedField(queryset=CustomerType.objects.all(), required=False, allow_null=True)
    source = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=ContactSource.objects.all(), required=False, allow_null=True
    )
    groups = serializers.PrimaryKeyRelatedField(queryset=ContactGroup.objects.all(), many=True, required=False)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False)
    allow_duplicate = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=_("Zapisz mimo klienta z tym samym NIP lub e-mailem (inaczej odpowiedź 400)."),
    )

    class Meta:
        model = Customer
        fields = (
            "custom_fields",
            "consents",
            "id",
            "kind",
            "name",
            "email",
            "phone",
            "tax_id",
            "status",
            "type",
            "groups",
            "source",
            "owner",
            "created_at",
            "website",
            "street",
            "postal_code",
            "city",
            "country",
            "tags",
            "last_contact_at",
            "updated_at",
            "allow_duplicate",
        )
        read_only_fields = ("id", "created_at", "updated_at")

    def create(self, validated: dict[str, Any]) -> Customer:
        request = self.context["request"]
        groups = validated.pop("groups", [])
        allow_duplicate = validated.pop("allow_duplicate", False)
        return services.customer_create(
            actor=request.user, data=validated, groups=groups, allow_duplicate=allow_duplicate
        )

    def update(self, instance: Customer, validated: dict[str, Any]) -> Customer:
        request = self.context["request"]
        groups = validated.pop("groups", None)
        validated.pop("allow_duplicate", None)
        return services.customer_update(customer=instance, actor=request.user, data=validated, groups=groups)


LIST_PARAMETERS = [
    OpenApiParameter(
        "search",
        OpenApiTypes.STR,
        description=str(
            _(
                "Szuka w nazwie, e-mailu, telefonie, NIP, adresie i osobach kontaktowych; wielkość liter i polskie znaki bez znaczenia („lodz” znajdzie „Łódź”)."
            )
        ),
    ),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=["company", "person"]),
    OpenApiParameter("group", OpenApiTypes.INT),
    OpenApiParameter("source", OpenApiTypes.INT),
    OpenApiParameter("owner", OpenApiTypes.INT),
    OpenApiParameter("status", OpenApiTypes.INT),
    OpenApiParameter("type", OpenApiTypes.INT),
    OpenApiParameter("tag", OpenApiTypes.STR),
    OpenApiParameter("city", OpenApiTypes.STR, description="miasto (wielkość liter bez znaczenia)"),
    OpenApiParameter("ordering", OpenApiTypes.STR, enum=list(SORTS)),
]


def customer_api_list(*, user: User, params: Mapping[str, Any], everything: bool | None = None) -> QuerySet[Customer]:
    """The customers `GET /api/v1/customers/` lists for these query parameters (LIST_PARAMETERS
    and `cf_<key>`); also the set a bulk action's `filter` names (crm.bulk)."""
    custom_filters_check(model="customer", params=params)
    filters = CustomerFilters.from_query(
        {
            **{k: str(params.get(k, "")) for k in params if k.startswith("cf_")},
            **{k: params.get(k, "") for k in ("kind", "group", "source", "owner", "status", "type", "tag", "city")},
            "q": params.get("search", ""),
            "sort": params.get("ordering", ""),
        }
    )
    return customer_list(user=user, filters=filters, everything=everything)


class CustomerMergeSerializer(serializers.Serializer[Any]):
    """`other`: the customer that goes (`fields`, checked by the merge service, is read as is)."""

    other = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


# Made with type(): a serializer field named `fields` hides Serializer.fields for mypy.
CUSTOMER_MERGE_REQUEST = type(
    "CustomerMergeRequest",
    (serializers.Serializer,),
    {
        "__module__": __name__,
        "other": serializers.IntegerField(),
        # {field or "cf_<key>": id of the customer whose value stays}
        "fields": serializers.DictField(child=serializers.IntegerField(), required=False),
        # read by crm.accounts.openapi (x-rules): what no JSON schema keyword states
        "openapi_rules": {
            "other": "Another customer the caller sees; the caller must be allowed to change both and delete it.",
            "fields": "Keys: name, tax_id, email, ..., cf_<key>; each value is the id of this customer or of `other`.",
        },
    },
)


@extend_schema_view(list=extend_schema(parameters=LIST_PARAMETERS))
class CustomerViewSet(viewsets.ModelViewSet):
    """Customers of this company that the caller may see."""

    request: AuthedApiRequest
    serializer_class = CustomerSerializer
    queryset = Customer.objects.none()

    def get_queryset(self) -> QuerySet[Customer]:
        request = self.request
        everything = _everything(request)
        if self.action == "list":
            qs = customer_api_list(user=request.user, params=request.query_params, everything=everything)
        else:
            qs = customers_visible_to(request.user, everything=everything)
        return qs.prefetch_related("groups")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with search_planner(bool(request.query_params.get("search", "").strip())):
            return super().list(request, *args, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        customer = self.get_object()
        try:
            services.customer_delete(customer=customer, actor=self.request.user)
        except DjangoValidationError as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=CUSTOMER_MERGE_REQUEST, responses=CustomerSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Merge customer `other` into this one: `fields` says, per field (`name`, `tax_id`,
        ..., `cf_<key>`), the id of the customer whose value stays; every record of `other`
        moves here and `other` is gone (its id leads here on the card)."""
        survivor = self.get_object()
        body = CustomerMergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        other = self.get_queryset().filter(pk=body.validated_data["other"]).first()
        if other is None:  # another company's, a colleague's hidden from a restricted Pracownik, or gone
            raise CustomerMergeError(str(_("Nie znaleziono klienta do scalenia.")), "other")
        fields = request.data.get("fields") if isinstance(request.data, dict) else None
        merged = customer_merge(survivor=survivor, other=other, actor=self.request.user, fields=fields or {})
        return Response(CustomerSerializer(merged, context=self.get_serializer_context()).data)


class ContactPersonSerializer(serializers.ModelSerializer):
    """A contact person of a company customer."""

    custom_fields = CustomFieldsField(model="contact")
    consents = ConsentsField(kind="contact")
    openapi_rules = CUSTOM_FIELDS_RULE

    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none())
    portal_enabled = serializers.BooleanField(
        required=False, help_text=_("Dostęp do portalu klienta; włączenie wysyła zaproszenie e-mailem.")
    )
    portal_permissions = serializers.ListField(
        child=serializers.ChoiceField(choices=PortalPermission.choices),
        required=False,
        help_text=_("Uprawnienia w portalu: invoices, offers, contracts, projects, tickets, kb."),
    )
    portal_own_tickets_only = serializers.BooleanField(required=False)

    class Meta:
        model = ContactPerson
        fields = (
            "custom_fields",
            "consents",
            "id",
            "customer",
            "name",
            "position",
            "email",
            "phone",
            "created_at",
            "portal_enabled",
            "portal_permissions",
            "portal_own_tickets_only",
        )
        read_only_fields = ("id", "created_at")

    def validate_portal_permissions(self, value: list[str]) -> list[str]:
        try:
            return services.portal_permissions_clean(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["portal_permissions"]) from None

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and getattr(request, "user", None) and request.user.is_authenticated:
            related_field(fields, "customer").queryset = customers_visible_to(
                request.user, everything=_everything(request)
            )
        return fields

    def create(self, validated: dict[str, Any]) -> ContactPerson:
        customer = validated.pop("customer")
        portal = {key: validated.pop(key) for key in services.PORTAL_FIELDS if key in validated}
        with transaction.atomic():
            contact = services.contact_create(customer=customer, actor=self.context["request"].user, data=validated)
            if portal:
                contact = services.contact_update(contact=contact, actor=self.context["request"].user, data=portal)
        return contact

    def update(self, instance: ContactPerson, validated: dict[str, Any]) -> ContactPerson:
        if "customer" in validated and validated["customer"].pk != instance.customer_id:
            raise serializers.ValidationError(
                {"customer": [_("Osoby kontaktowej nie można przenieść do innego klienta.")]}
            )
        validated.pop("customer", None)
        return services.contact_update(contact=instance, actor=self.context["request"].user, data=validated)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("customer", OpenApiTypes.INT, description=str(_("Tylko osoby tego klienta."))),
            OpenApiParameter("search", OpenApiTypes.STR),
        ]
    )
)
class ContactPersonViewSet(CustomFieldsFilterMixin, viewsets.ModelViewSet):
    """Contact persons of the customers the caller may see."""

    request: AuthedApiRequest
    serializer_class = ContactPersonSerializer
    custom_fields_model = "contact"
    queryset = ContactPerson.objects.none()

    def get_queryset(self) -> QuerySet[ContactPerson]:
        qs = contacts_visible_to(self.request.user, everything=_everything(self.request)).order_by("id")
        if self.action == "list":
            try:
                customer_id = id_param(self.request.query_params.get("customer"))
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"customer": exc.messages}) from None
            if customer_id is not None:
                qs = qs.filter(customer_id=customer_id)
            search = self.request.query_params.get("search", "").strip()
            if search:
                qs = qs.filter(Q(name__icontains=search) | Q(email__icontains=search))
        return qs

    def perform_destroy(self, instance: ContactPerson) -> None:
        services.contact_delete(contact=instance, actor=self.request.user)
