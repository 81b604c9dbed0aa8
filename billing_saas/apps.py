from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from crm.common.settings_pages import settings_page_register


class BillingSaasConfig(AppConfig):
    name = "billing_saas"
    verbose_name = _("Subskrypcje")

    def ready(self) -> None:
        from billing_saas import signals  # noqa: F401  (connects company_provisioned)

        settings_page_register(url_name="billing_saas:billing", label=_("Płatności"), icon="credit-card", order=110)
