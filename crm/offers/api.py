"""REST API of offers: /api/v1/offers/ (+ <id>/send/, <id>/pdf/). Same rules as the
pages (crm/offers/services.py): only a draft is changed or deleted, `lines` replaces
all of a draft's lines at once, the totals are computed by the server."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.accounts.models import User
from crm.catalog.models import Product
from crm.common.api import AuthedApiRequest, ModelSerializer, query_param, related_field
from crm.common.params import ApiDateField
from crm.company.mail import MAX_RECIPIENTS
from crm.contacts.models import Customer
from crm.contacts.selectors import customers_visible_to
from crm.documents.lines import MAX_AMOUNT, MAX_QUANTITY, LineData
from crm.documents.totals import VatRate
from crm.offers import services
from crm.offers.emails import offer_public_url
from crm.offers.models import Offer, OfferLanguage, OfferLine, OfferStatus
from crm.offers.pdf import offer_pdf_response
from crm.offers.selectors import offer_change_check, offer_list
from crm.sales.models import Deal
from crm.sales.selectors import deals_visible_to

DEFAULT_VALID_DAYS = 30
MAX_LINES = 200


class OfferLineSerializer(ModelSerializer):
    """One line: `net_value` (after the discount) is computed by the server."""

    name = serializers.CharField(max_length=500)
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), required=False, allow_null=True)
    quantity = serializers.DecimalField(
        max_digits=14,
        decimal_places=4,
        min_value=Decimal("0.0001"),
        max_value=MAX_QUANTITY,
        required=False,
        error_messages={"min_value": _("Ilość musi być większa od zera.")},
    )
    unit = serializers.CharField(max_length=20, required=False)
    net_price = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=MAX_AMOUNT,
        error_messages={"min_value": _("Cena netto nie może być ujemna.")},
    )
    vat_rate = serializers.ChoiceField(choices=VatRate.choices, required=False)
    discount_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )

    class Meta:
        model = OfferLine
        fields = ("name", "product", "quantity", "unit", "net_price", "vat_rate", "discount_percent", "net_value")
        read_only_fields = ("net_value",)


def line_data(item: dict[str, Any]) -> LineData:
    product = item.get("product")
    defaults = LineData(name="", net_price=item["net_price"])
    return LineData(
        name=item["name"],
        net_price=item["net_price"],
        quantity=item.get("quantity", defaults.quantity),
        unit=item.get("unit") or (product.unit if product is not None else defaults.unit),
        vat_rate=item.get("vat_rate") or (product.vat_rate if product is not None else defaults.vat_rate),
        discount_percent=item.get("discount_percent", defaults.discount_percent),
        product_id=product.pk if product is not None else None,
        gtu=product.gtu if product is not None else "",
        pkwiu=product.pkwiu if product is not None else "",
    )


class OfferSerializer(ModelSerializer):
    """An offer. Created as a draft (`status` draft, no `number`); `POST <id>/send/` numbers
    it and e-mails the customer the link to its public page, where the customer accepts
    or declines. `valid_until` defaults to 30 days after `issue_date`; `currency` to the
    deal's, else PLN; `owner` to the caller."""

    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none())
    deal = serializers.PrimaryKeyRelatedField(queryset=Deal.objects.none(), required=False, allow_null=True)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    issue_date = ApiDateField(required=False, help_text=_("Domyślnie dziś."))
    valid_until = ApiDateField(required=False, allow_null=True, help_text=_("Domyślnie 30 dni od daty wystawienia."))
    currency = serializers.RegexField(
        r"^[A-Z]{3}$",
        required=False,
        help_text=_("Kod ISO 4217; domyślnie waluta szansy sprzedaży albo PLN."),
        error_messages={"invalid": _("Podaj kod waluty z trzech wielkich liter, np. PLN lub EUR.")},
    )
    language = serializers.ChoiceField(choices=OfferLanguage.choices, required=False)
    introduction = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    terms = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    lines = OfferLineSerializer(many=True, required=False, max_length=MAX_LINES)  # type: ignore[call-arg]
    public_url = serializers.SerializerMethodField()

    openapi_rules = {
        "valid_until": "Must not be earlier than `issue_date`.",
        "deal": "Must be a deal of `customer`.",
        "lines": "Each line's net value and the offer's totals must stay below 1,000,000,000,000.",
        "non_field_errors": "Only a draft offer (`status` draft) can be changed.",
    }

    class Meta:
        model = Offer
        fields = (
            "id",
            "number",
            "title",
            "customer",
            "deal",
            "owner",
            "status",
            "issue_date",
            "valid_until",
            "currency",
            "language",
            "introduction",
            "terms",
            "lines",
            "net_total",
            "vat_total",
            "gross_total",
            "sent_at",
            "viewed_at",
            "answered_at",
            "accepted_name",
            "answer_ip",
            "decline_comment",
            "public_url",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            "number",
            "status",
            "net_total",
            "vat_total",
            "gross_total",
            "sent_at",
            "viewed_at",
            "answered_at",
            "accepted_name",
            "answer_ip",
            "decline_comment",
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

    def get_public_url(self, offer: Offer) -> str | None:
        """The customer's page (no login), once the offer has been sent."""
        if offer.status == OfferStatus.DRAFT:
            return None
        return offer_public_url(offer)

    def create(self, validated: dict[str, Any]) -> Offer:
        lines = [line_data(item) for item in validated.pop("lines", [])]
        issue_date = validated.get("issue_date") or timezone.localdate()
        validated["issue_date"] = issue_date
        validated.setdefault("valid_until", issue_date + timedelta(days=DEFAULT_VALID_DAYS))
        return services.offer_create(actor=self.context["request"].user, lines=lines, **validated)

    def update(self, instance: Offer, validated: dict[str, Any]) -> Offer:
        raw = validated.pop("lines", None)
        lines = [line_data(item) for item in raw] if raw is not None else None
        return services.offer_update(offer=instance, actor=self.context["request"].user, lines=lines, **validated)


class OfferSendSerializer(serializers.Serializer):
    to = serializers.ListField(
        child=serializers.EmailField(), min_length=1, max_length=MAX_RECIPIENTS, required=False,
        help_text=_("Adresy odbiorców; domyślnie e-mail klienta."),
    )  # fmt: skip
    message = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    openapi_rules = {"to": "Required when the customer has no e-mail address."}


OFFER_FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=OfferStatus.values, description="Status."),
    OpenApiParameter("customer", OpenApiTypes.INT, description="Customer id."),
    OpenApiParameter("deal", OpenApiTypes.INT, description="Deal id."),
    OpenApiParameter("owner", OpenApiTypes.INT, description="Owner (user) id."),
    OpenApiParameter("search", OpenApiTypes.STR, description="Number, title or customer name."),
]


@extend_schema_view(list=extend_schema(parameters=OFFER_FILTERS))
class OfferViewSet(viewsets.ModelViewSet):
    """Offers (oferty) the caller may see; another company's offer id is a 404. A Pracownik
    changes, sends and deletes his own offers (a restricted one sees only those)."""

    request: AuthedApiRequest
    serializer_class = OfferSerializer
    queryset = Offer.objects.none()

    def get_queryset(self) -> QuerySet[Offer]:
        if getattr(self, "swagger_fake_view", False):
            return Offer.objects.none()
        status = ""
        filters: dict[str, Any] = {}
        if self.action == "list":
            status = self.request.query_params.get("status", "")
            if status and status not in OfferStatus.values:
                raise serializers.ValidationError({"status": [_("Wybierz status z listy.")]})
            filters = {f"{name}_id": query_param(self.request, name) for name in ("customer", "deal", "owner")}
        offers = offer_list(
            user=self.request.user, query=self.request.query_params.get("search", ""), status=status, **filters
        )
        return offers.prefetch_related(Prefetch("lines", queryset=OfferLine.objects.order_by("position", "id")))

    def perform_update(self, serializer: Any) -> None:
        offer_change_check(self.request.user, serializer.instance)
        serializer.save()

    def perform_destroy(self, instance: Offer) -> None:
        services.offer_delete(offer=instance, actor=self.request.user)

    @extend_schema(request=OfferSendSerializer, responses=OfferSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str | None = None) -> Response:
        """E-mail the offer to the customer (a draft gets its number and becomes sent)."""
        offer = self.get_object()
        body = OfferSendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        to = body.validated_data.get("to") or ([offer.customer.email] if offer.customer.email else [])
        sent = services.offer_send(
            offer=offer, actor=self.request.user, to=to, message=body.validated_data.get("message", "")
        )
        return Response(
            OfferSerializer(self.get_queryset().get(pk=sent.pk), context=self.get_serializer_context()).data
        )

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The offer as a PDF document, in the offer's language."""
        return offer_pdf_response(self.get_object())
