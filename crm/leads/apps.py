from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "crm.leads"
    label = "leads"
    verbose_name = _("Leady")

    def ready(self) -> None:
        from crm.common.records import record_type_register
        from crm.contacts.importers import importer_register
        from crm.leads.defaults import lead_statuses_setup_step
        from crm.leads.imports import LEAD_IMPORTER
        from crm.leads.records import LEAD
        from tenants.setup import company_setup_step

        record_type_register(LEAD)
        importer_register(LEAD_IMPORTER)
        company_setup_step("lead_statuses", lead_statuses_setup_step, order=27)
