"""The customer as a record type (see crm.common.records)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crm.common.records import RecordType
from crm.contacts.models import ContactPerson, Customer
from crm.contacts.selectors import contacts_visible_to, customers_visible_to

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
    search_text_field="search_text",
    category_fields=("status", "type", "source", "groups"),
    owner_field="owner",
    handover_label=_("klientów"),
    handover_field_label=_("Klientów przejmuje"),
    has_notes=True,
    icon="bi-person-vcard",
    list_related=("owner", "status", "type"),
    position=10,
    custom_fields=True,
)

# Contact persons have no card of their own: they open their customer's card.
CONTACT = RecordType(
    key="contact",
    key_plural="contacts",
    model=ContactPerson,
    label=_("osoba kontaktowa"),
    label_plural=_("Osoby kontaktowe"),
    visible=contacts_visible_to,
    card_url_name="contacts:customer_detail",
    card_pk_field="customer_id",
    customer_field="customer",
    search_fields=("name", "email", "phone"),
    search_fold_field="search_fold",
    icon="bi-person",
    list_related=("customer",),
    position=15,
    custom_fields=True,
)
