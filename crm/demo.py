"""Sample data for the demo company. Each CRM app adds its part here; every step
must be idempotent (seed_demo runs on every `make run`)."""

from __future__ import annotations

from tenants.models import Company


def demo_data_seed(*, company: Company) -> None:
    """Called with the demo company's schema active."""
    # Deals and tasks need customers: keep these after the customers' sample data
    # (crm/contacts/demo.py); they create nothing while the company has no customers.
    from crm.contacts.demo import customers_demo_seed
    from crm.sales.demo import deals_demo_seed
    from crm.tasks.demo import tasks_demo_seed

    customers_demo_seed()
    deals_demo_seed()
    tasks_demo_seed()

    from crm.settings.demo import settings_demo_seed

    settings_demo_seed()
