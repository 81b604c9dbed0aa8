"""The deal as a record type (see crm.common.records)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crm.common.records import RecordType
from crm.sales.models import Deal
from crm.sales.selectors import deals_visible_to

DEAL = RecordType(
    key="deal",
    key_plural="deals",
    model=Deal,
    label=_("szansa sprzedaży"),
    label_plural=_("Szanse sprzedaży"),
    visible=deals_visible_to,
    card_url_name="sales:deal_detail",
    customer_field="customer",
    search_fields=("name",),
    category_fields=("category", "status", "stage", "win_reason", "loss_reason"),
    owner_field="owner",
    handover_label=_("szanse sprzedaży"),
    handover_field_label=_("Szanse sprzedaży przejmuje"),
    has_notes=True,
    timeline_label=_("Nowa szansa sprzedaży"),
    timeline_template="sales/_timeline_item.html",
    icon="bi-kanban",
    list_related=("owner", "stage", "status"),
    position=30,
    custom_fields=True,
)
