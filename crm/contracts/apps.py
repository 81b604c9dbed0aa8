from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "crm.contracts"
    label = "contracts"
    verbose_name = _("Umowy")

    def ready(self) -> None:
        from crm.common.records import record_type_register
        from crm.contracts.cards import cards_register
        from crm.contracts.defaults import contract_types_setup_step
        from crm.contracts.records import CONTRACT
        from tenants.setup import company_setup_step

        record_type_register(CONTRACT)
        cards_register()
        company_setup_step("contract_types", contract_types_setup_step, order=26)
