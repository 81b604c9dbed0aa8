"""Sample data for the demo company. Each CRM app adds its part here; every step
must be idempotent (seed_demo runs on every `make run`)."""

from __future__ import annotations

from crm.contacts.demo import customers_demo_seed
from crm.notes.demo import notes_demo_seed
from crm.sales.demo import deals_demo_seed
from crm.settings.demo import settings_demo_seed
from crm.tasks.demo import tasks_demo_seed
from tenants.models import Company


def demo_data_seed(*, company: Company) -> None:
    """Called with the demo company's schema active. Deals, tasks and notes need
    customers: they come after them and create nothing while there are none."""
    customers_demo_seed()
    notes_demo_seed()
    deals_demo_seed()
    tasks_demo_seed()
    settings_demo_seed()
