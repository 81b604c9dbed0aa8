"""The offer as a record type (see crm.common.records): notes and files, the customer's
timeline, the global search (number, title), exports and hand-over on deactivation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crm.common.records import RecordType
from crm.offers.models import Offer
from crm.offers.selectors import offers_visible_to

OFFER = RecordType(
    key="offer",
    key_plural="offers",
    model=Offer,
    label=_("oferta"),
    label_plural=_("Oferty"),
    visible=offers_visible_to,
    card_url_name="offers:offer_detail",
    customer_field="customer",
    search_fields=("number", "title"),
    owner_field="owner",
    handover_label=_("oferty"),
    handover_field_label=_("Oferty przejmuje"),
    has_notes=True,
    export_columns=(
        ("number", _("Numer")),
        ("title", _("Tytuł")),
        ("customer", _("Klient")),
        ("deal", _("Szansa sprzedaży")),
        ("status", _("Status")),
        ("issue_date", _("Data wystawienia")),
        ("valid_until", _("Ważna do")),
        ("currency", _("Waluta")),
        ("net_total", _("Razem netto")),
        ("vat_total", _("Razem VAT")),
        ("gross_total", _("Razem brutto")),
        ("owner", _("Opiekun")),
        ("accepted_name", _("Zaakceptował(a)")),
        ("answered_at", _("Odpowiedź")),
    ),
    timeline_label=_("Nowa oferta"),
    timeline_template="offers/_timeline_item.html",
    icon="bi-file-earmark-text",
    list_related=("owner",),
    position=40,
)
