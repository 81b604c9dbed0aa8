"""REST API of the payments side: /api/v1/payments/, the unpaid list with ageing,
the sales report, and Szef's reminder settings. Same rules as the pages: the services
in crm/invoicing/payments.py and reminders.py decide, these views only translate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.accounts.access import IsSzef
from crm.common.api import AuthedApiRequest, ModelSerializer, related_field
from crm.common.params import ApiDateField, date_param, id_param
from crm.invoicing import payments as payment_services
from crm.invoicing.access import invoices_visible_to
from crm.invoicing.models import Invoice, Payment, PaymentMethod, PaymentReminderSettings
from crm.invoicing.reminders import PLACEHOLDERS, reminder_settings_save
from crm.invoicing.reports import COLUMNS, sales_report
from crm.invoicing.unpaid import BUCKET_KEYS, ageing_by_customer, ageing_totals, bucket_filter, unpaid_invoices
from crm.invoicing.visibility import may_manage_money, payments_visible_to


def decimals_as_text(value: Any) -> Any:
    """Amounts as decimal strings ("1230.00"), as the serializers send them: no float rounding."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {key: decimals_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decimals_as_text(item) for item in value]
    return value


class ManagersWrite(BasePermission):
    """Everyone signed in reads (what he may see); Szef and Kierownik write."""

    message = _("Płatności, faktury cykliczne i przypomnienia prowadzą Szef i Kierownik.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return bool(request.user and request.user.is_authenticated)
        return may_manage_money(request.user)  # type: ignore[arg-type]


def _int_query(request: Request, name: str) -> int | None:
    try:
        return id_param(request.query_params.get(name))
    except DjangoValidationError as exc:
        raise serializers.ValidationError({name: exc.messages}) from None


def _date_query(request: Request, name: str) -> date | None:
    try:
        return date_param(request.query_params.get(name))
    except DjangoValidationError as exc:
        raise serializers.ValidationError({name: exc.messages}) from None


class PaymentSerializer(ModelSerializer):
    """A payment of an issued VAT invoice or pro-forma. The invoice's `paid_total` and
    `status` follow (issued → partially_paid → paid)."""

    invoice = serializers.PrimaryKeyRelatedField(queryset=Invoice.objects.none())
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    paid_at = ApiDateField(required=False, help_text=_("Domyślnie dziś; nie później niż dziś."))
    method = serializers.ChoiceField(choices=PaymentMethod.choices, required=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    invoice_number = serializers.CharField(source="invoice.number", read_only=True)
    currency = serializers.CharField(source="invoice.currency", read_only=True)

    openapi_rules = {
        "invoice": "An issued VAT invoice or pro-forma (not a draft, a correction or a cancelled invoice) "
        "that is not paid in full.",
        "amount": "At most what is left to pay on the invoice (gross total plus issued corrections "
        "minus `paid_total`): an overpayment is refused.",
        "paid_at": "Not later than today (the company's time zone).",
    }

    class Meta:
        model = Payment
        fields = ("id", "invoice", "invoice_number", "amount", "currency", "paid_at", "method", "note", "created_at")
        read_only_fields = ("created_at",)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            related_field(fields, "invoice").queryset = invoices_visible_to(request.user)
        return fields

    def create(self, validated_data: dict[str, Any]) -> Payment:
        return payment_services.payment_create(actor=self.context["request"].user, **validated_data)


PAYMENT_FILTERS = [
    OpenApiParameter("invoice", OpenApiTypes.INT, description="Invoice id."),
    OpenApiParameter("customer", OpenApiTypes.INT, description="Customer id."),
]


@extend_schema_view(list=extend_schema(parameters=PAYMENT_FILTERS))
class PaymentViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Payments of the invoices the caller may see. Szef and Kierownik record and delete
    them (403 for a Pracownik); another company's payment or invoice is a 404."""

    request: AuthedApiRequest
    serializer_class = PaymentSerializer
    permission_classes = [ManagersWrite]
    queryset = Payment.objects.none()

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Payment.objects.none()
        qs = payments_visible_to(self.request.user).select_related("invoice").order_by("-paid_at", "-id")
        if self.action == "list":
            invoice = _int_query(self.request, "invoice")
            customer = _int_query(self.request, "customer")
            if invoice is not None:
                qs = qs.filter(invoice_id=invoice)
            if customer is not None:
                qs = qs.filter(invoice__customer_id=customer)
        return qs

    def perform_destroy(self, instance: Payment) -> None:
        payment_services.payment_delete(actor=self.request.user, payment=instance)


# --- unpaid invoices, ageing ---------------------------------------------------------------


class UnpaidInvoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    kind = serializers.CharField()
    customer = serializers.IntegerField(source="customer_id")
    customer_name = serializers.CharField(source="customer.name")
    issue_date = serializers.DateField()
    due_date = serializers.DateField()
    currency = serializers.CharField()
    gross_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    left = serializers.DecimalField(max_digits=16, decimal_places=2)
    days_past_due = serializers.SerializerMethodField()
    bucket = serializers.ChoiceField(choices=BUCKET_KEYS)
    status = serializers.CharField()

    def get_days_past_due(self, obj: Invoice) -> int:
        return max((self.context["today"] - obj.due_date).days, 0)


UNPAID_FILTERS = [
    OpenApiParameter("bucket", OpenApiTypes.STR, enum=list(BUCKET_KEYS), description="Days past due."),
    OpenApiParameter("customer", OpenApiTypes.INT, description="Customer id."),
    OpenApiParameter("currency", OpenApiTypes.STR, description="ISO 4217 code."),
]


def _unpaid_filtered(request: AuthedApiRequest, today: date) -> Any:
    qs = unpaid_invoices(request.user, today=today).select_related("customer")
    bucket = request.query_params.get("bucket") or ""
    if bucket and bucket not in BUCKET_KEYS:
        raise serializers.ValidationError({"bucket": [_("Wybierz jeden z przedziałów: %s.") % ", ".join(BUCKET_KEYS)]})
    if bucket:
        qs = bucket_filter(qs, bucket)
    customer = _int_query(request, "customer")
    if customer is not None:
        qs = qs.filter(customer_id=customer)
    currency = (request.query_params.get("currency") or "").upper()
    if currency:
        qs = qs.filter(currency=currency)
    return qs


class UnpaidInvoiceViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Issued VAT invoices and pro-formas with something left to pay, oldest due date first,
    with the ageing bucket (days past due: not_due, 0_30, 31_60, 61_90, 90_plus)."""

    request: AuthedApiRequest
    serializer_class = UnpaidInvoiceSerializer
    queryset = Invoice.objects.none()

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Invoice.objects.none()
        return _unpaid_filtered(self.request, timezone.localdate())

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    @extend_schema(parameters=UNPAID_FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class AgeingView(APIView):
    """Amounts left to pay per ageing bucket: totals per currency and per customer."""

    @extend_schema(parameters=UNPAID_FILTERS[1:], responses=OpenApiTypes.OBJECT)
    def get(self, request: AuthedApiRequest) -> Response:
        today = timezone.localdate()
        qs = _unpaid_filtered(request, today)
        return Response(
            decimals_as_text(
                {
                    "today": today,
                    "buckets": list(BUCKET_KEYS),
                    "totals": [row.figures() for row in ageing_totals(qs, today=today)],
                    "customers": [row.figures() for row in ageing_by_customer(qs, today=today)[:500]],
                }
            )
        )


# --- sales report -------------------------------------------------------------------------------


class SalesReportView(APIView):
    """Invoiced, paid and outstanding per month, customer and VAT rate, per currency."""

    @extend_schema(
        parameters=[
            OpenApiParameter("date_from", OpenApiTypes.DATE, description="Issue date from (inclusive)."),
            OpenApiParameter("date_to", OpenApiTypes.DATE, description="Issue date to (inclusive)."),
            OpenApiParameter("customer", OpenApiTypes.INT, description="Customer id."),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: AuthedApiRequest) -> Response:
        date_from, date_to = _date_query(request, "date_from"), _date_query(request, "date_to")
        if date_from and date_to and date_from > date_to:
            raise serializers.ValidationError(
                {"date_to": [_("Data końcowa nie może być wcześniejsza niż początkowa.")]}
            )
        report = sales_report(
            request.user, date_from=date_from, date_to=date_to, customer_id=_int_query(request, "customer")
        )
        return Response(
            decimals_as_text(
                {
                    "date_from": date_from,
                    "date_to": date_to,
                    "columns": [key for key, _label in COLUMNS],
                    "rows": [row.as_dict() for row in report.rows],
                    "totals": [row.as_dict() for row in report.totals],
                }
            )
        )


# --- Szef's reminder settings --------------------------------------------------------------------


class ReminderSettingsSerializer(ModelSerializer):
    """When and what reminders customers get about overdue invoices. `subject` and `body`
    may use the placeholders {number}, {amount}, {due_date}, {company}, {customer},
    {days_overdue}, {bank_account}, {issue_date}; empty means the default text."""

    openapi_rules = {
        "subject": "Only the listed placeholders in braces.",
        "body": "Only the listed placeholders in braces.",
    }

    class Meta:
        model = PaymentReminderSettings
        fields = ("enabled", "first_after_days", "repeat_every_days", "max_count", "subject", "body")

    def update(self, instance: PaymentReminderSettings, validated_data: dict[str, Any]) -> PaymentReminderSettings:
        reminder_settings_save(actor=self.context["request"].user, obj=instance, changes=validated_data)
        return instance


class ReminderSettingsView(APIView):
    """Payment reminders to customers (Szef only): schedule and texts."""

    permission_classes = [IsSzef]

    @extend_schema(responses=ReminderSettingsSerializer)
    def get(self, request: AuthedApiRequest) -> Response:
        data = ReminderSettingsSerializer(PaymentReminderSettings.current()).data
        return Response({**data, "placeholders": list(PLACEHOLDERS)})

    @extend_schema(request=ReminderSettingsSerializer, responses=ReminderSettingsSerializer)
    def patch(self, request: AuthedApiRequest) -> Response:
        serializer = ReminderSettingsSerializer(
            PaymentReminderSettings.current(), data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response({**serializer.data, "placeholders": list(PLACEHOLDERS)})
