"""The invoice as a record type (see crm.common.records): search by number, buyer and NIP,
the customer's timeline, export columns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crm.common.records import RecordType
from crm.invoicing.access import invoices_visible_to
from crm.invoicing.models import Invoice

INVOICE = RecordType(
    key="invoice",
    key_plural="invoices",
    model=Invoice,
    label=_("faktura"),
    label_plural=_("Faktury"),
    visible=invoices_visible_to,
    card_url_name="invoicing:invoice_detail",
    customer_field="customer",
    search_text_field="search_text",
    # No `owner_field`: deactivating a person does not ask who takes over his invoices
    # (an issued invoice is the company's document; its `owner` stays as it was).
    export_columns=(
        ("number", _("Numer")),
        ("kind", _("Rodzaj")),
        ("status", _("Status")),
        ("customer", _("Nabywca")),
        ("issue_date", _("Data wystawienia")),
        ("sale_date", _("Data sprzedaży")),
        ("due_date", _("Termin płatności")),
        ("currency", _("Waluta")),
        ("net_total", _("Netto")),
        ("vat_total", _("VAT")),
        ("gross_total", _("Brutto")),
        ("paid_total", _("Zapłacono")),
        ("ksef_number", _("Numer KSeF")),
    ),
    timeline_label=_("Faktura"),
    timeline_template="invoicing/_timeline_item.html",
    icon="bi-receipt",
    list_related=("owner",),
    position=50,
)
