"""Serializers of the invoices API (crm/invoicing/api.py): what a client sends and reads."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from crm.accounts.models import User
from crm.catalog.models import GTU_CHOICES, Product
from crm.common.api import ModelSerializer
from crm.company.mail import MAX_RECIPIENTS
from crm.contacts.models import Customer
from crm.contacts.selectors import customers_visible_to
from crm.documents.totals import VatRate
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceLine
from crm.invoicing.services import LineData, invoice_totals
from crm.invoicing.services.common import MAX_LINES
from crm.sales.models import Deal

PERCENT_PATTERN = r"^(100(\.0{0,2})?|\d{1,2}(\.\d{0,2})?|\.\d{1,2})$"


class PercentField(serializers.DecimalField):
    """0–100 with two decimal places; the schema's pattern says so (`openapi_pattern`)."""

    openapi_pattern = PERCENT_PATTERN

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=5, decimal_places=2, min_value=Decimal(0), max_value=Decimal(100), **kwargs)


class InvoiceLineSerializer(ModelSerializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), required=False, allow_null=True)
    quantity = serializers.DecimalField(
        max_digits=14, decimal_places=4, min_value=Decimal("0.0001"), required=False, default=Decimal(1)
    )
    unit = serializers.CharField(max_length=20, required=False, default="szt.")
    net_price = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal(0))
    vat_rate = serializers.ChoiceField(choices=VatRate.choices, required=False, default=VatRate.R23)
    discount_percent = PercentField(required=False, default=Decimal(0))
    gtu = serializers.ChoiceField(choices=GTU_CHOICES, allow_blank=True, required=False, default="")
    pkwiu = serializers.CharField(max_length=20, allow_blank=True, required=False, default="")
    annex15 = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Goods or services of annex 15 to the VAT act (lines with GTU_05 or GTU_06 count anyway): "
        "with a gross total over 15 000 PLN and a buyer with a tax id the invoice gets the split-payment mark.",
    )

    class Meta:
        model = InvoiceLine
        fields = (
            "name",
            "product",
            "quantity",
            "unit",
            "net_price",
            "vat_rate",
            "discount_percent",
            "gtu",
            "pkwiu",
            "annex15",
            "net_value",
        )
        read_only_fields = ("net_value",)
        extra_kwargs = {"name": {"max_length": 500}}


def line_data(row: dict[str, Any]) -> LineData:
    return LineData(
        name=row["name"],
        net_price=row["net_price"],
        quantity=row.get("quantity", Decimal(1)),
        unit=row.get("unit", "szt."),
        vat_rate=row.get("vat_rate", VatRate.R23),
        discount_percent=row.get("discount_percent", Decimal(0)),
        product=row.get("product"),
        gtu=row.get("gtu", ""),
        pkwiu=row.get("pkwiu", ""),
        annex15=row.get("annex15", False),
    )


class CurrentLinesSerializer(serializers.ListSerializer[InvoiceLine]):
    """An invoice's lines as they are (a correction's lines before it are `lines_before`),
    each serialised once (the list of 50 invoices with 10 lines is mostly this)."""

    def to_representation(self, data: Any) -> list[Any]:
        rows = [line for line in (data.all() if hasattr(data, "all") else data) if not line.before_correction]
        plan = self._plan()
        if plan is None:
            return [self.child.to_representation(line) for line in rows]  # type: ignore[union-attr]
        return [
            {name: None if (value := getattr(line, attr)) is None else out(value) for name, attr, out in plan}
            for line in rows
        ]

    def _plan(self) -> list[tuple[str, str, Any]] | None:
        """(key, attribute, to_representation) per readable field of the line serializer:
        what `Serializer.to_representation` does for plain fields and primary keys, without
        its per-value machinery (the same output, compared in the tests); None when a field
        is of another kind, which then takes DRF's own path."""
        if not hasattr(self, "_fast_plan"):
            plan: list[tuple[str, str, Any]] = []
            for field in self.child._readable_fields:  # type: ignore[union-attr]
                source, name = field.source or "", field.field_name or ""
                if (
                    not source
                    or "." in source
                    or source == "*"
                    or isinstance(field, serializers.SerializerMethodField)
                    or (
                        isinstance(field, serializers.RelatedField | serializers.BaseSerializer)
                        and not isinstance(field, serializers.PrimaryKeyRelatedField)
                    )
                ):
                    self._fast_plan: list[tuple[str, str, Any]] | None = None
                    return None
                if isinstance(field, serializers.PrimaryKeyRelatedField):
                    plan.append((name, f"{source}_id", _same))
                else:
                    plan.append((name, source, field.to_representation))
            self._fast_plan = plan
        return self._fast_plan


def _same(value: Any) -> Any:
    return value


class RateTotalSerializer(serializers.Serializer):
    vat_rate = serializers.CharField()
    net = serializers.DecimalField(max_digits=14, decimal_places=2)
    vat = serializers.DecimalField(max_digits=14, decimal_places=2)
    gross = serializers.DecimalField(max_digits=14, decimal_places=2)


_RATE_MONEY = RateTotalSerializer().fields["net"]


class InvoiceSerializer(ModelSerializer):
    """An invoice. `number` is empty while it is a draft; `POST /invoices/{id}/issue/` gives
    it the next number of its series. Only drafts change: an issued invoice is corrected by
    `POST /invoices/{id}/correct/` (a correction: `corrects`, `correction_reason`, `lines`
    after and `lines_before`; its totals are after minus before and may be negative)."""

    kind = serializers.ChoiceField(
        choices=InvoiceKind.choices,
        required=False,
        default=InvoiceKind.VAT,
        help_text="`vat` or `proforma` on create; a `correction` is made with POST /invoices/{id}/correct/.",
    )
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none())
    deal = serializers.PrimaryKeyRelatedField(queryset=Deal.objects.all(), required=False, allow_null=True)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    currency = serializers.RegexField(
        r"^[A-Z]{3}$",
        required=False,
        default="PLN",
        help_text="ISO 4217 code, PLN by default.",
        error_messages={"invalid": _("Podaj kod waluty z trzech wielkich liter, np. PLN lub EUR.")},
    )
    exchange_rate = serializers.DecimalField(
        max_digits=10,
        decimal_places=4,
        min_value=Decimal("0.0001"),
        required=False,
        allow_null=True,
        help_text="PLN per unit of a foreign currency. Leave it out to use the NBP mid rate of the last "
        "working day before the sale date (fetched by the server).",
    )
    lines: serializers.ListSerializer[InvoiceLine] = CurrentLinesSerializer(
        child=InvoiceLineSerializer(), min_length=0, max_length=MAX_LINES
    )
    expenses = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        write_only=True,
        max_length=MAX_LINES,
        help_text="Ids of the customer's billable expenses not on an invoice yet, added as lines at cost (net "
        "amount and VAT rate of each) and marked as on this invoice. On a change: the expenses the draft should "
        "carry (one left out is taken off with its line and is billable again). VAT invoices only.",
    )
    lines_before = serializers.SerializerMethodField(help_text="A correction's lines as they were (read only).")
    totals_by_rate = serializers.SerializerMethodField(help_text="Net, VAT and gross per VAT rate.")

    openapi_rules = {
        "exemption_basis": "Required when a line has `vat_rate` `zw` (the legal basis of the exemption).",
        "due_date": "Not earlier than `issue_date` (default: issue date plus the company's payment term).",
        "deal": "A deal of the same customer.",
        "kind": "Only `vat` or `proforma` are created here; a draft correction keeps its kind.",
        "status": "Only a draft changes: an issued invoice answers 400 naming `status` (correct it instead).",
        "lines": "1–200 lines (with `expenses`, the typed ones may be none); `product` an existing product; "
        "`name` and `unit` not blank.",
        "expenses": "Billable expenses of the invoice's customer, in its currency, the caller sees, not on another "
        "invoice; any other id answers 400 naming `expenses` and nothing changes.",
        "correction_reason": "Required on a correction.",
        "customer": "A correction keeps the corrected invoice's buyer.",
    }

    class Meta:
        model = Invoice
        fields = (
            "id",
            "number",
            "kind",
            "status",
            "customer",
            "deal",
            "offer",
            "owner",
            "issue_date",
            "sale_date",
            "due_date",
            "place_of_issue",
            "payment_method",
            "currency",
            "exchange_rate",
            "exchange_rate_date",
            "exchange_rate_table",
            "split_payment",
            "exemption_basis",
            "notes",
            "lines",
            "expenses",
            "lines_before",
            "net_total",
            "vat_total",
            "gross_total",
            "totals_by_rate",
            "paid_total",
            "corrects",
            "correction_reason",
            "from_proforma",
            "seller",
            "buyer",
            "ksef_number",
            "ksef_status",
            "ksef_error",
            "ksef_sent_at",
            "emailed_at",
            "emailed_to",
            "issued_at",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            "number",
            "status",
            "offer",
            "exchange_rate_date",
            "exchange_rate_table",
            "net_total",
            "vat_total",
            "gross_total",
            "paid_total",
            "corrects",
            "from_proforma",
            "seller",
            "buyer",
            "ksef_number",
            "ksef_status",
            "ksef_error",
            "ksef_sent_at",
            "emailed_at",
            "emailed_to",
            "issued_at",
            "created_at",
            "updated_at",
        )
        extra_kwargs = {
            "issue_date": {"required": False},
            "sale_date": {"required": False},
            "due_date": {"required": False},
            "place_of_issue": {"required": False},
        }

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            fields["customer"].queryset = customers_visible_to(request.user)  # type: ignore[attr-defined]
        return fields

    @extend_schema_field(InvoiceLineSerializer(many=True))
    def get_lines_before(self, invoice: Invoice) -> list[dict[str, Any]]:
        if invoice.kind != InvoiceKind.CORRECTION:
            return []
        before = [line for line in invoice.lines.all() if line.before_correction]
        return list(InvoiceLineSerializer(before, many=True).data)

    @extend_schema_field(RateTotalSerializer(many=True))
    def get_totals_by_rate(self, invoice: Invoice) -> list[dict[str, Any]]:
        money = _RATE_MONEY.to_representation  # a serializer per invoice cost more than the sums
        return [
            {"vat_rate": str(row.vat_rate), "net": money(row.net), "vat": money(row.vat), "gross": money(row.gross)}
            for row in invoice_totals(invoice).by_rate
        ]


class CorrectionSerializer(serializers.Serializer):
    """The correction of an issued VAT invoice: the reason and the lines as they should be
    (default: the current lines, to change later in the draft)."""

    reason = serializers.CharField(max_length=500)
    lines: serializers.ListSerializer[InvoiceLine] = serializers.ListSerializer(
        child=InvoiceLineSerializer(), min_length=1, max_length=MAX_LINES, required=False
    )

    openapi_rules = {
        "status": "Only an issued VAT invoice without a draft correction is corrected; otherwise 400 naming `status`.",
        "lines": "1–200 lines; `product` an existing product.",
    }


class InvoiceEmailSerializer(serializers.Serializer):
    """E-mailing an issued invoice to the customer (the PDF attached)."""

    to = serializers.ListField(
        child=serializers.EmailField(), min_length=1, max_length=MAX_RECIPIENTS, required=False,
        help_text=_("Adresy odbiorców; domyślnie e-mail klienta."),
    )  # fmt: skip
    message = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    openapi_rules = {
        "to": "Required when the customer has no e-mail address.",
        "status": "Only an issued invoice (a pro-forma too) is e-mailed; a draft: 400 naming `status`.",
        "detail": "Without the company's SMTP settings: 400 with `detail`.",
    }
