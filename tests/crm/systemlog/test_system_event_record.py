"""The system log's one writer: what it records, and that the record outlives the
rollback of the work that failed."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django_tenants.utils import schema_context

from crm.contacts.models import Customer
from crm.contacts.tasks import customer_import_run
from crm.systemlog.models import SystemEvent, SystemEventKind, SystemEventLevel
from crm.systemlog.services import system_event_record
from tenants.db import connection
from tests.crm.contacts.factories import CustomerFactory


class ImportBroke(Exception):
    pass


def _events(company, **filters):
    with schema_context(company.schema_name):
        return list(SystemEvent.objects.filter(**filters).order_by("id"))


def test_an_event_names_its_kind_level_message_detail_and_object(company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(name="Hurtownia Ala")
        assert system_event_record(
            kind=SystemEventKind.WEBHOOK_FAILED,
            message="Webhook nie dotarł",
            detail={"status": 502, "body": "Bad gateway"},
            obj=customer,
        )
    [event] = _events(company_a)
    assert (event.kind, event.level, event.message) == ("webhook_failed", "error", "Webhook nie dotarł")
    assert '"status": 502' in event.detail and "Bad gateway" in event.detail
    assert (event.object_type, event.object_id, event.object_repr) == (
        "contacts.customer",
        str(customer.pk),
        "Hurtownia Ala",
    )


def test_each_kind_has_its_default_level(company_a):
    with schema_context(company_a.schema_name):
        system_event_record(kind=SystemEventKind.BACKUP_DONE, message="Kopia gotowa")
        system_event_record(kind=SystemEventKind.IMPORT_PARTIAL, message="Część wierszy pominięta")
        system_event_record(kind=SystemEventKind.BACKUP_FAILED, message="Brak miejsca", level=SystemEventLevel.WARNING)
    assert [(e.kind, e.level) for e in _events(company_a)] == [
        ("backup_done", "info"),
        ("import_partial", "warning"),
        ("backup_failed", "warning"),
    ]


def test_the_event_survives_the_rollback_of_the_work_that_failed(company_a):
    with schema_context(company_a.schema_name):
        with pytest.raises(ImportBroke), transaction.atomic():
            CustomerFactory(name="Zapis, który się cofnie")
            system_event_record(kind=SystemEventKind.IMPORT_FAILED, message="Import przerwany")
            raise ImportBroke
        assert not Customer.objects.filter(name="Zapis, który się cofnie").exists()
    assert [e.message for e in _events(company_a)] == ["Import przerwany"]


def test_an_event_can_be_recorded_inside_a_broken_transaction(company_a):
    with schema_context(company_a.schema_name), pytest.raises(IntegrityError), transaction.atomic():
        try:
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO contacts_customer (id) VALUES (NULL)")
        finally:
            assert system_event_record(kind=SystemEventKind.JOB_FAILED, message="Zapis po błędzie bazy")
    assert [e.message for e in _events(company_a)] == ["Zapis po błędzie bazy"]


def test_a_wrong_kind_or_the_public_schema_is_logged_not_raised(company_a, caplog):
    with schema_context(company_a.schema_name):
        assert system_event_record(kind="no_such_kind", message="x") is False
    connection.set_schema_to_public()
    assert system_event_record(kind=SystemEventKind.JOB_FAILED, message="poza firmą") is False
    assert _events(company_a) == []
    assert "no_such_kind" in caplog.text


def test_events_of_one_company_stay_in_its_schema(company_a, company_b):
    with schema_context(company_b.schema_name):
        system_event_record(kind=SystemEventKind.BACKUP_FAILED, message="Kopia firmy B")
    assert _events(company_a) == []
    assert [e.message for e in _events(company_b)] == ["Kopia firmy B"]


def test_a_background_job_that_fails_for_a_company_is_in_its_log(company_a):
    result = customer_import_run.apply(args=[987654], headers={"_schema_name": company_a.schema_name})
    assert result.failed()
    [event] = _events(company_a, kind=SystemEventKind.JOB_FAILED)
    assert "contacts.customer_import_run" in event.message or "customer_import_run" in event.message
    assert "DoesNotExist" in event.detail
