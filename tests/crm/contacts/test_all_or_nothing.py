"""Customer writes are all or nothing: when a later step (the timeline entry, the
groups, the import's next rows) fails in the database, the earlier ones are undone."""

from __future__ import annotations

import pytest
from django.db import DatabaseError
from django_tenants.utils import schema_context

from crm.categories.models import ContactGroup
from crm.contacts import services
from crm.contacts.imports import import_run
from crm.contacts.models import ContactPerson, Customer, CustomerImport, CustomerKind, DuplicateMode, ImportStatus
from crm.notes.models import TimelineEvent
from tests.crm.contacts.test_import import prepared
from tests.support.refuse import db_refuses

pytestmark = pytest.mark.django_db


def _timeline_refused(company) -> None:
    db_refuses(company.schema_name, "notes_timelineevent", "INSERT")


def test_a_new_customer_is_not_left_behind_when_its_timeline_entry_fails(company_a, szef):
    with schema_context(company_a.schema_name):
        group = ContactGroup.objects.create(name="Hurtownie", color="#112233")
        _timeline_refused(company_a)

        with pytest.raises(DatabaseError):
            services.customer_create(actor=szef, data={"name": "Nowy Klient", "kind": "company"}, groups=[group])

        assert not Customer.objects.filter(name="Nowy Klient").exists()
        assert not Customer.groups.through.objects.filter(contactgroup=group).exists()


def test_a_customer_change_keeps_the_old_name_and_groups_when_its_timeline_entry_fails(company_a, szef):
    with schema_context(company_a.schema_name):
        customer = services.customer_create(actor=szef, data={"name": "Stara Nazwa"})
        group = ContactGroup.objects.create(name="Hurtownie", color="#112233")
        _timeline_refused(company_a)

        with pytest.raises(DatabaseError):
            services.customer_update(customer=customer, actor=szef, data={"name": "Nowa Nazwa"}, groups=[group])

        stored = Customer.objects.get(pk=customer.pk)
        assert stored.name == "Stara Nazwa"
        assert list(stored.groups.all()) == []


def test_a_group_made_on_the_card_is_not_left_behind_when_attaching_it_fails(company_a, szef):
    with schema_context(company_a.schema_name):
        customer = services.customer_create(actor=szef, data={"name": "Klient"})
        _timeline_refused(company_a)

        with pytest.raises(DatabaseError):
            services.customer_group_create(customer=customer, actor=szef, name="Nowa Grupa", color="#123456")

        assert not ContactGroup.objects.filter(name="Nowa Grupa").exists()


def test_contact_persons_stay_as_they_were_when_the_timeline_entry_fails(company_a, szef):
    with schema_context(company_a.schema_name):
        customer = services.customer_create(actor=szef, data={"name": "Firma", "kind": CustomerKind.COMPANY})
        kept = services.contact_create(customer=customer, actor=szef, data={"name": "Jan Kowalski"})
        _timeline_refused(company_a)

        with pytest.raises(DatabaseError):
            services.contact_create(customer=customer, actor=szef, data={"name": "Anna Nowak"})
        with pytest.raises(DatabaseError):
            services.contact_delete(contact=kept, actor=szef)

        assert list(ContactPerson.objects.filter(customer=customer).values_list("name", flat=True)) == ["Jan Kowalski"]


HEADER = "Nazwa;E-mail\n"


def test_an_import_chunk_that_fails_leaves_none_of_its_rows_and_its_figures_count_none(company_a, szef):
    with schema_context(company_a.schema_name):
        services.customer_create(actor=szef, data={"name": "Istniejący", "email": "jest@x.pl"})
    job = prepared(company_a, szef, HEADER + "Nowy Klient;nowy@x.pl\nIstniejący Zmieniony;jest@x.pl\n")
    with schema_context(company_a.schema_name):
        # the new row goes in first; the update of the existing one then fails
        db_refuses(company_a.schema_name, "notes_timelineevent", "INSERT", when="NEW.kind = 'customer_changed'")
        CustomerImport.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED, duplicate_mode=DuplicateMode.UPDATE)

        with pytest.raises(DatabaseError):
            import_run(job.pk)

        assert not Customer.objects.filter(name="Nowy Klient").exists()
        assert Customer.objects.get(email="jest@x.pl").name == "Istniejący"
        assert not TimelineEvent.objects.filter(kind="customer_imported").exists()
        finished = CustomerImport.objects.get(pk=job.pk)
        assert finished.status == ImportStatus.FAILED
        assert (finished.created_count, finished.updated_count, finished.processed_rows) == (0, 0, 0)
