from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpensesConfig(AppConfig):
    name = "crm.expenses"
    label = "expenses"
    verbose_name = _("Wydatki")

    def ready(self) -> None:
        from crm.common.records import record_type_register
        from crm.expenses.cards import cards_register
        from crm.expenses.defaults import expense_categories_setup_step
        from crm.expenses.records import EXPENSE
        from tenants.setup import company_setup_step

        record_type_register(EXPENSE)
        cards_register()
        company_setup_step("expense_categories", expense_categories_setup_step, order=25)
