"""The contract as a record type (see crm.common.records): the customer's timeline, the
global search (subject), exports, the trash and hand-over on deactivation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crm.common.records import RecordType
from crm.contracts.models import Contract
from crm.contracts.selectors import contracts_visible_to

CONTRACT = RecordType(
    key="contract",
    key_plural="contracts",
    model=Contract,
    label=_("umowa"),
    label_plural=_("Umowy"),
    visible=contracts_visible_to,
    card_url_name="contracts:contract_detail",
    customer_field="customer",
    search_fields=("subject",),
    category_fields=("type",),
    owner_field="owner",
    handover_label=_("umowy"),
    handover_field_label=_("Umowy przejmuje"),
    has_notes=True,
    export_columns=(
        ("subject", _("Przedmiot umowy")),
        ("customer", _("Klient")),
        ("deal", _("Szansa sprzedaży")),
        ("type", _("Typ umowy")),
        ("status", _("Status")),
        ("value", _("Wartość")),
        ("currency", _("Waluta")),
        ("start_date", _("Data rozpoczęcia")),
        ("end_date", _("Data zakończenia")),
        ("owner", _("Opiekun")),
        ("signed_by", _("Podpisał(a)")),
        ("signed_at", _("Podpisano")),
    ),
    timeline_label=_("Nowa umowa"),
    timeline_template="contracts/_timeline_item.html",
    icon="bi-journal-text",
    list_related=("owner", "type"),
    position=45,
)
