"""Sample data for the demo company. Each CRM app adds its part here; every step
must be idempotent (seed_demo runs on every `make run`)."""

from __future__ import annotations

from crm.catalog.demo import products_demo_seed
from crm.contacts.demo import customers_demo_seed
from crm.contracts.demo import contracts_demo_seed
from crm.expenses.demo import expenses_demo_seed
from crm.invoicing.demo import invoices_demo_seed
from crm.invoicing.demo_payments import payments_demo_seed
from crm.kb.demo import kb_demo_seed
from crm.leads.demo import leads_demo_seed
from crm.notes.demo import notes_demo_seed
from crm.offers.demo import offers_demo_seed
from crm.portal.demo import portal_demo_seed
from crm.projects.demo import projects_demo_seed
from crm.sales.demo import deals_demo_seed, pipelines_demo_seed
from crm.settings.demo import settings_demo_seed
from crm.tasks.demo import tasks_demo_seed
from crm.tickets.demo import tickets_demo_seed
from crm.timetracking.demo import time_demo_seed
from tenants.models import Company


def demo_data_seed(*, company: Company) -> None:
    """Called with the demo company's schema active. Deals, tasks and notes need
    customers: they come after them and create nothing while there are none."""
    customers_demo_seed()
    notes_demo_seed()
    deals_demo_seed()
    pipelines_demo_seed()
    tasks_demo_seed()
    expenses_demo_seed()
    settings_demo_seed()
    products_demo_seed()
    contracts_demo_seed()
    leads_demo_seed()
    tickets_demo_seed()
    projects_demo_seed()  # after the customers and the tasks app
    offers_demo_seed()  # after the customers, the products and the company's numbering
    invoices_demo_seed()  # after the company's data: the seller on the invoices
    payments_demo_seed()  # after the demo invoices
    kb_demo_seed()
    time_demo_seed()  # after the projects
    portal_demo_seed()  # after the customers: their first contact person gets the client portal
