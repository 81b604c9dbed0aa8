"""The expense as a record type (see crm.common.records): global search, the
customer's timeline, hand-over of a deactivated person's expenses, export columns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crm.common.records import RecordType
from crm.expenses.models import Expense
from crm.expenses.selectors import expenses_visible_to

EXPORT_COLUMNS = (
    ("id", _("id")),
    ("date", _("data")),
    ("name", _("nazwa")),
    ("category", _("kategoria")),
    ("amount", _("netto")),
    ("vat_rate", _("stawka VAT")),
    ("vat_amount", _("VAT")),
    ("gross_amount", _("brutto")),
    ("currency", _("waluta")),
    ("supplier", _("dostawca")),
    ("supplier_tax_id", _("NIP dostawcy")),
    ("reference_number", _("numer dokumentu")),
    ("payment_method", _("sposób płatności")),
    ("customer", _("klient")),
    ("billable", _("do refakturowania")),
    ("invoiced", _("zafakturowano")),
    ("owner", _("osoba")),
    ("receipt_name", _("dowód zakupu")),
)

EXPENSE = RecordType(
    key="expense",
    key_plural="expenses",
    model=Expense,
    label=_("wydatek"),
    label_plural=_("Wydatki"),
    visible=expenses_visible_to,
    card_url_name="expenses:expense_detail",
    customer_field="customer",
    search_fields=("name", "supplier", "reference_number"),
    category_fields=("category",),
    owner_field="owner",
    handover_label=_("wydatki"),
    handover_field_label=_("Wydatki przejmuje"),
    export_columns=EXPORT_COLUMNS,
    timeline_label=_("Wydatek"),
    timeline_template="expenses/_timeline_item.html",
    icon="bi-receipt",
    list_related=("category", "owner"),
    position=40,
)
