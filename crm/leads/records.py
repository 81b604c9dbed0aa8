"""The lead as a record type (see crm.common.records): the global search (search_text:
name, company, e-mail, phone, NIP, position, textual custom fields), exports, the trash and hand-over on deactivation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crm.common.records import RecordType
from crm.leads.models import Lead
from crm.leads.selectors import leads_visible_to

LEAD = RecordType(
    key="lead",
    key_plural="leads",
    model=Lead,
    label=_("lead"),
    label_plural=_("Leady"),
    visible=leads_visible_to,
    card_url_name="leads:lead_detail",
    customer_field=None,
    search_fields=("name", "company_name", "email"),  # leads whose search_text is not filled yet
    search_text_field="search_text",
    category_fields=("status", "source"),
    owner_field="owner",
    handover_label=_("leady"),
    handover_field_label=_("Leady przejmuje"),
    has_notes=True,
    custom_fields=True,
    export_columns=(
        ("name", _("Imię i nazwisko")),
        ("company_name", _("Nazwa firmy")),
        ("email", _("E-mail")),
        ("phone", _("Telefon")),
        ("tax_id", _("NIP")),
        ("position", _("Stanowisko")),
        ("source", _("Źródło pozyskania")),
        ("status", _("Status")),
        ("lost_reason", _("Powód utraty")),
        ("value", _("Szacowana wartość")),
        ("owner", _("Opiekun")),
        ("converted_customer", _("Klient po konwersji")),
        ("created_at", _("Utworzono")),
    ),
    icon="bi-person-plus",
    list_related=("owner", "status", "source"),
    position=15,
)
