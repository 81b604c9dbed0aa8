from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from crm.contacts.demo import CUSTOMERS, customers_demo_seed
from crm.contacts.models import ContactPerson, Customer
from crm.notes.demo import notes_demo_seed
from crm.notes.models import Note

pytestmark = pytest.mark.django_db


def test_demo_customers_are_created_once_with_contacts_and_notes(company_a, szef, pracownik):
    with schema_context(company_a.schema_name):
        assert customers_demo_seed() == len(CUSTOMERS)
        assert customers_demo_seed() == 0
        notes = notes_demo_seed()  # the notes app adds its part after the customers
        assert notes_demo_seed() == 0
        assert Customer.objects.count() == len(CUSTOMERS)
        assert ContactPerson.objects.count() >= 10
        assert notes > 0 and Note.objects.count() == notes
        lodz = Customer.objects.filter(search_text__contains="lodz")
        assert lodz.exists()
        assert Customer.objects.filter(owner=pracownik).exists()
        assert not Customer.objects.filter(owner__isnull=True).exists()


def test_whole_demo_seed_runs_with_deals_and_tasks(company_a, szef):
    from crm.demo.seed import demo_data_seed
    from crm.sales.models import Deal

    with schema_context(company_a.schema_name):
        demo_data_seed(company=company_a)
        demo_data_seed(company=company_a)
        assert Customer.objects.count() == len(CUSTOMERS)
        assert Deal.objects.exists()
