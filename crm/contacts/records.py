"""The customer as a record type (see crm.common.records)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crm.common.records import RecordType
from crm.contacts.models import Customer
from crm.contacts.selectors import customers_visible_to

CUSTOMER = RecordType(
    key="customer",
    key_plural="customers",
    model=Customer,
    label=_("klient"),
    label_plural=_("Klienci"),
    visible=customers_visible_to,
    card_url_name="contacts:customer_detail",
    customer_field="",
    search_fields=("name", "email", "phone", "tax_id"),
    category_fields=("status", "type", "source", "groups"),
    owner_field="owner",
    handover_label=_("klientów"),
    handover_field_label=_("Klientów przejmuje"),
    has_notes=True,
    icon="bi-person-vcard",
    list_related=("owner", "status", "type"),
    position=10,
)
