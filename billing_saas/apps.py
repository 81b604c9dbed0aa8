from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from crm.common.settings_pages import settings_page_register


class BillingSaasConfig(AppConfig):
    name = "billing_saas"
    verbose_name = _("Subskrypcje")

    def ready(self) -> None:
        from billing_saas.limits import plan_limit_problem
        from billing_saas.setup import billing_account_create
        from tenants.limits import limit_check_register
        from tenants.setup import company_setup_step

        company_setup_step("billing_account", billing_account_create, order=30)
        limit_check_register("plan", plan_limit_problem)

        settings_page_register(url_name="billing_saas:billing", label=_("Płatności"), icon="credit-card", order=110)
