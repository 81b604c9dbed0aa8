"""Statements compiled once per process (crm.common.compiled): each read gives exactly what
its queryset gives, for the key it is asked for, in the company whose schema is active."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from crm.common.compiled import CompiledQuery, related_set
from crm.company.models import CompanySettings
from crm.contacts.models import ContactPerson, Customer
from tenants.db import connection
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory

pytestmark = pytest.mark.django_db

CUSTOMER_WITH_OWNER = CompiledQuery(
    lambda key: Customer.objects.select_related("owner").annotate(contact_count=Count("contacts")).filter(pk=key)
)
CONTACTS_OF = CompiledQuery(lambda key: ContactPerson.objects.filter(customer_id=key).order_by("name"))


def test_a_compiled_read_gives_each_key_what_its_queryset_gives(in_a: Any, szef: Any) -> None:
    with in_a():
        first = CustomerFactory(name="Alfa", owner=szef)
        second = CustomerFactory(name="Beta", owner=None, city="Łódź")
        ContactPersonFactory.create_batch(2, customer=first)
        for customer in (first, second, first):  # compiled on the first read, then reused
            expected = Customer.objects.annotate(contact_count=Count("contacts")).get(pk=customer.pk)
            read = CUSTOMER_WITH_OWNER.first(customer.pk)
            assert read is not None
            with CaptureQueriesContext(connection) as queries:
                owner = read.owner  # read with the row (select_related): no query
            assert len(queries) == 0
            assert owner == expected.owner
            assert read.contact_count == expected.contact_count
            assert {f.attname: getattr(read, f.attname) for f in Customer._meta.concrete_fields} == {
                f.attname: getattr(expected, f.attname) for f in Customer._meta.concrete_fields
            }
        assert (read.name, read.contact_count, read.owner) == ("Alfa", 2, szef)
        assert CUSTOMER_WITH_OWNER.first(second.pk + 1000) is None


def test_one_compiled_statement_reads_each_company_its_own_settings(
    company_a: Any, company_b: Any, company_settings_a: Any
) -> None:
    company_settings_a(city="Miasto firmy A")
    connection.set_tenant(company_a)
    assert CompanySettings.current().city == "Miasto firmy A"
    connection.set_tenant(company_b)
    assert CompanySettings.current().city != "Miasto firmy A"


def test_a_locking_read_outside_a_transaction_is_refused(in_a: Any, monkeypatch: Any) -> None:
    locking = CompiledQuery(lambda key: Customer.objects.select_for_update().filter(pk=key))
    with in_a():
        customer = CustomerFactory()
        with transaction.atomic():
            assert locking.first(customer.pk) == customer
        monkeypatch.setattr(connection, "get_autocommit", lambda: True)  # as outside any `atomic`
        with pytest.raises(TransactionManagementError):
            locking.first(customer.pk)


def test_rows_set_as_related_read_like_prefetched_ones(in_a: Any) -> None:
    with in_a():
        customer, other = CustomerFactory(), CustomerFactory()
        ContactPersonFactory(customer=customer, name="Zofia Nowak")
        ContactPersonFactory(customer=customer, name="Adam Lis")
        ContactPersonFactory(customer=other, name="Adam Obcy")
        customer = Customer.objects.get(pk=customer.pk)
        related_set(customer, "contacts", CONTACTS_OF.all(customer.pk))
        with CaptureQueriesContext(connection) as queries:
            names = [contact.name for contact in customer.contacts.all()]
            owners = {contact.customer for contact in customer.contacts.all()}
        assert len(queries) == 0
        assert names == ["Adam Lis", "Zofia Nowak"]
        assert owners == {customer}
        # A further filter is still the customer's own contacts, never another's.
        assert [c.name for c in customer.contacts.filter(name__startswith="Adam")] == ["Adam Lis"]
