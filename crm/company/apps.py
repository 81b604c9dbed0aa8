from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompanyConfig(AppConfig):
    """The company's own settings row (visibility, company data, SMTP, security) and the
    company's outgoing mail. Low in the layers: staff, records and pages read it."""

    name = "crm.company"
    label = "company"
    verbose_name = _("Firma")

    def ready(self) -> None:
        from crm.company.setup import company_settings_create
        from tenants.setup import company_setup_step

        company_setup_step("company_settings", company_settings_create, order=10)
