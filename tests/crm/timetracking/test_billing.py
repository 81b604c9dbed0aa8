"""Billing a project's unbilled time: a draft invoice with lines per task or per person,
the entries reserved on it, invoiced once it is issued, never billed twice (not even by
two clicks at once); deleting the draft frees the time; an invoiced entry cannot change."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django_tenants.utils import schema_context

from crm.accounts.models import User
from crm.invoicing.models import Invoice, InvoiceStatus
from crm.invoicing.services.drafts import invoice_delete
from crm.invoicing.services.issue import invoice_issue
from crm.projects.models import BillingType
from crm.timetracking.models import TimeEntry
from crm.timetracking.selectors import project_time
from crm.timetracking.services import project_time_invoice
from tests.crm.timetracking.factories import ago, entry_make, project_make, task_make
from tests.support.clients import TenantClient


def _lines(invoice):
    return sorted((line.name, line.quantity, line.net_price) for line in invoice.lines.all())


def test_unbilled_time_is_invoiced_exactly_once(company_a, in_a, szef, pracownik):
    with in_a():
        project = project_make(members=[pracownik])
        design = task_make(project, title="Projekt graficzny")
        entry_make(project=project, user=pracownik, start=ago(days=2), minutes=90, task=design)
        entry_make(project=project, user=szef, start=ago(days=1), minutes=30, task=design)
        entry_make(project=project, user=szef, start=ago(days=3), minutes=60)
        entry_make(project=project, user=szef, start=ago(days=4), minutes=600, billable=False)
        assert project_time(project).unbilled_amount == Decimal("450.00")
    client = TenantClient(company_a).login_as(szef)

    response = client.post(f"/time/projects/{project.pk}/invoice/", {"group_by": "task"})

    assert response.status_code == 302
    with in_a():
        invoice = Invoice.objects.get()
        assert response["Location"] == f"/invoices/{invoice.pk}/"
        assert invoice.status == InvoiceStatus.DRAFT and invoice.customer_id == project.customer_id
        assert _lines(invoice) == [
            ("Wdrożenie sklepu — Projekt graficzny", Decimal("2.00"), Decimal("150.00")),
            ("Wdrożenie sklepu — prace bez zadania", Decimal("1.00"), Decimal("150.00")),
        ]
        reserved = list(TimeEntry.objects.filter(invoice=invoice))
        assert len(reserved) == 3 and not any(entry.invoiced for entry in reserved)

        invoice_issue(invoice=invoice, actor=szef)
        assert all(entry.invoiced for entry in TimeEntry.objects.filter(invoice=invoice).select_related("invoice"))
        assert project_time(project).unbilled_amount == 0

    again = client.post(f"/time/projects/{project.pk}/invoice/", {"group_by": "task"}, follow=True)
    assert "Nie ma niezafakturowanego czasu" in again.content.decode()
    with in_a():
        assert Invoice.objects.count() == 1


def test_lines_per_person_and_task_rates(in_a, szef, pracownik):
    with in_a():
        project = project_make(billing_type=BillingType.TASK_HOURS, rate=Decimal(0))
        cheap = task_make(project, title="Testy", hourly_rate=Decimal("100.00"))
        dear = task_make(project, title="Architektura", hourly_rate=Decimal("300.00"))
        entry_make(project=project, user=pracownik, start=ago(days=2), minutes=120, task=cheap)
        entry_make(project=project, user=szef, start=ago(days=1), minutes=60, task=dear)
        no_task = entry_make(project=project, user=szef, start=ago(days=3), minutes=60)

        invoice = project_time_invoice(project=project, actor=szef, group_by="person")

        assert _lines(invoice) == sorted(
            [
                (f"Wdrożenie sklepu — {pracownik}", Decimal("2.00"), Decimal("100.00")),
                (f"Wdrożenie sklepu — {szef}", Decimal("1.00"), Decimal("300.00")),
            ]
        )
        no_task.refresh_from_db()
        assert no_task.invoice_id is None  # no rate: nothing to bill for it


def test_a_fixed_price_is_billed_once(in_a, szef):
    with in_a():
        project = project_make(billing_type=BillingType.FIXED, rate=Decimal("5000.00"))
        entry_make(project=project, user=szef, start=ago(days=2), minutes=120)

        invoice = project_time_invoice(project=project, actor=szef)
        assert _lines(invoice) == [("Wdrożenie sklepu — cena stała", Decimal("1"), Decimal("5000.00"))]

        entry_make(project=project, user=szef, start=ago(days=1), minutes=60)
        assert project_time(project).unbilled_amount == 0
        with pytest.raises(ValidationError):
            project_time_invoice(project=project, actor=szef)


def test_deleting_the_draft_frees_the_time_for_another_invoice(in_a, szef):
    with in_a():
        project = project_make()
        entry = entry_make(project=project, user=szef, start=ago(days=2), minutes=60)
        draft = project_time_invoice(project=project, actor=szef)

        invoice_delete(invoice=draft, actor=szef)

        entry.refresh_from_db()
        assert entry.invoice_id is None
        assert project_time_invoice(project=project, actor=szef).pk != draft.pk


def test_time_on_an_invoice_cannot_be_changed_or_deleted(in_a, api_szef, szef):
    with in_a():
        project = project_make()
        entry = entry_make(project=project, user=szef, start=ago(days=2), minutes=60)
        invoice = project_time_invoice(project=project, actor=szef)

    on_draft = api_szef.patch(f"/api/v1/time-entries/{entry.pk}/", {"minutes": 10}, content_type="application/json")
    assert on_draft.status_code == 400 and "szkicu faktury" in str(on_draft.json())

    with in_a():
        invoice_issue(invoice=invoice, actor=szef)
    assert api_szef.get(f"/api/v1/time-entries/{entry.pk}/").json()["invoiced"] is True
    issued = api_szef.delete(f"/api/v1/time-entries/{entry.pk}/")
    assert issued.status_code == 400 and "zafakturowany" in str(issued.json())
    with in_a():
        entry.refresh_from_db()
        assert entry.minutes == 60


def test_pracownik_cannot_bill_time(company_a, in_a, pracownik):
    with in_a():
        project = project_make(members=[pracownik])
        entry_make(project=project, user=pracownik, start=ago(days=2), minutes=60)
    client = TenantClient(company_a).login_as(pracownik)

    assert client.post(f"/time/projects/{project.pk}/invoice/", {"group_by": "task"}).status_code == 403
    with in_a():
        assert not Invoice.objects.exists()


def test_two_clicks_at_once_bill_the_time_once(committed):
    company = committed.a
    with schema_context(company.schema_name):
        szef = User.objects.get(email="szef@alfa.test")
        project = project_make()
        for day in range(1, 4):
            entry_make(project=project, user=szef, start=ago(days=day) - timedelta(hours=1), minutes=60)
    clients = [TenantClient(company).login_as(szef) for _ in range(2)]
    barrier = threading.Barrier(2, timeout=30)
    answers: list[object] = [None, None]

    def bill(index: int) -> None:
        try:
            barrier.wait()
            answers[index] = clients[index].post(f"/time/projects/{project.pk}/invoice/", {"group_by": "task"})
        except BaseException as exc:
            answers[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=bill, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert [getattr(answer, "status_code", answer) for answer in answers] == [302, 302]
    with schema_context(company.schema_name):
        assert Invoice.objects.count() == 1
        invoice = Invoice.objects.get()
        assert TimeEntry.objects.filter(invoice=invoice).count() == 3


def _invoice_time(client, body):
    return client.post("/api/v1/time-entries/invoice/", body, content_type="application/json")


def test_the_api_bills_unbilled_time_once_per_person(in_a, api_szef, szef, pracownik):
    with in_a():
        project = project_make(members=[pracownik])
        entry_make(project=project, user=pracownik, start=ago(days=2), minutes=120)
        entry_make(project=project, user=szef, start=ago(days=1), minutes=60)

    response = _invoice_time(api_szef, {"project": project.pk, "group_by": "person"})
    again = _invoice_time(api_szef, {"project": project.pk})

    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == f"/api/v1/invoices/{body['id']}/"
    assert (body["status"], body["customer"], len(body["lines"])) == ("draft", project.customer_id, 2)
    assert api_szef.get(response["Location"]).status_code == 200
    assert again.status_code == 400 and "project" in again.json()  # nothing left to bill
    with in_a():
        assert Invoice.objects.count() == 1
        assert TimeEntry.objects.filter(invoice_id=body["id"]).count() == 2


def test_the_api_refuses_billing_to_a_pracownik_and_another_company(in_a, api_pracownik, api_outsider, pracownik):
    with in_a():
        project = project_make(members=[pracownik])
        entry_make(project=project, user=pracownik, start=ago(days=1), minutes=60)

    refused = _invoice_time(api_pracownik, {"project": project.pk})
    outsider = _invoice_time(api_outsider, {"project": project.pk})
    bad = _invoice_time(api_pracownik, {"project": project.pk, "group_by": "month"})

    assert refused.status_code == 403
    assert outsider.status_code == 400 and "project" in outsider.json()  # no such project there
    assert bad.status_code == 400 and "group_by" in bad.json()
    with in_a():
        assert not Invoice.objects.exists()
        assert not TimeEntry.objects.filter(invoice__isnull=False).exists()
