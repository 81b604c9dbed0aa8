from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "crm.contacts"
    label = "contacts"
    verbose_name = _("Klienci")

    def ready(self) -> None:
        from crm.common.records import record_type_register
        from crm.contacts.importers import importer_register
        from crm.contacts.imports import CUSTOMER_IMPORTER
        from crm.contacts.records import CONTACT, CUSTOMER

        importer_register(CUSTOMER_IMPORTER)
        record_type_register(CUSTOMER)
        record_type_register(CONTACT)
