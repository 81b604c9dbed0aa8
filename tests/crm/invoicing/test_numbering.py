"""Invoice numbers: patterns, monthly and yearly series, and no gap and no repeat when many
people issue at the same moment (real threads, each with its own database connection and
committed transactions, through the API)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django_tenants.utils import schema_context

from crm.accounts.models import User
from crm.activity.models import ActivityEntry
from crm.company.models import CompanySettings
from crm.invoicing.models import Invoice, InvoiceStatus, NumberCounter
from crm.invoicing.numbering import number_format, number_pattern_check, series_period
from crm.invoicing.services import invoice_issue
from crm.invoicing.services import issue as issue_module
from tests.crm.invoicing.factories import buyer_make, draft_make
from tests.support.clients import api_client_for

ISSUERS = 8


def test_pattern_is_filled_with_the_date_and_the_number():
    assert number_format("FV/{YYYY}/{MM}/{NR}", day=date(2026, 3, 7), number=12) == "FV/2026/03/12"
    assert number_format("{NR}/{YY}", day=date(2026, 3, 7), number=1) == "1/26"
    assert series_period(date(2026, 3, 7), reset="monthly") == "2026-03"
    assert series_period(date(2026, 3, 7), reset="yearly") == "2026"


@pytest.mark.parametrize(
    ("pattern", "reset"),
    [("FV/{YYYY}/{NR}", "monthly"), ("FV/{NR}", "yearly"), ("FV/{YYYY}/{MM}", "monthly"), ("FV/{X}/{NR}", "yearly")],
)
def test_a_pattern_that_could_repeat_numbers_is_refused(pattern, reset):
    with pytest.raises(ValidationError):
        number_pattern_check(pattern, reset=reset)


def test_numbers_restart_every_month_with_a_monthly_series(in_a):
    with in_a():
        march = [invoice_issue(invoice=draft_make(), actor=None, today=date(2026, 3, d)).number for d in (2, 30)]
        april = invoice_issue(invoice=draft_make(), actor=None, today=date(2026, 4, 1)).number

    assert march == ["FV/2026/03/1", "FV/2026/03/2"]
    assert april == "FV/2026/04/1"


def test_numbers_run_on_through_the_year_with_a_yearly_series(in_a, company_settings_a):
    company_settings_a(number_reset="yearly", invoice_number_pattern="{NR}/{YYYY}")
    with in_a():
        numbers = [invoice_issue(invoice=draft_make(), actor=None, today=date(2026, m, 5)).number for m in (1, 6, 12)]

    assert numbers == ["1/2026", "2/2026", "3/2026"]


def test_each_kind_has_its_own_series(in_a):
    with in_a():
        vat = invoice_issue(invoice=draft_make(), actor=None, today=date(2026, 5, 4))
        proforma = invoice_issue(invoice=draft_make(kind="proforma"), actor=None, today=date(2026, 5, 4))

    assert vat.number == "FV/2026/05/1"
    assert proforma.number == "PRO/2026/05/1"


def test_a_failed_issue_gives_its_number_back(in_a, monkeypatch):
    with in_a():
        first, second = draft_make(), draft_make()

        def broken() -> dict:
            raise RuntimeError("the database went away")

        monkeypatch.setattr(issue_module, "seller_snapshot", broken)
        with pytest.raises(RuntimeError):
            invoice_issue(invoice=first, actor=None, today=date(2026, 6, 1))
        monkeypatch.undo()
        issued = invoice_issue(invoice=second, actor=None, today=date(2026, 6, 1))
        first.refresh_from_db()

    assert first.status == InvoiceStatus.DRAFT and first.number == ""
    assert issued.number == "FV/2026/06/1"


def test_concurrent_issuers_get_consecutive_numbers_without_gaps_or_repeats(committed):
    company = committed.a
    with schema_context(company.schema_name):
        szef = User.objects.get(email="szef@alfa.test")
        customer = buyer_make()
        drafts = [draft_make(customer=customer) for _ in range(ISSUERS)]
    clients = [api_client_for(company, szef) for _ in range(ISSUERS)]
    barrier = threading.Barrier(ISSUERS, timeout=30)
    answers: list[object] = [None] * ISSUERS

    def issue(index: int) -> None:
        try:
            barrier.wait()
            answers[index] = clients[index].post(f"/api/v1/invoices/{drafts[index].pk}/issue/")
        except BaseException as exc:
            answers[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(i,)) for i in range(ISSUERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = [getattr(answer, "status_code", answer) for answer in answers]
    assert statuses == [200] * ISSUERS, statuses
    with schema_context(company.schema_name):
        numbers = sorted(Invoice.objects.filter(pk__in=[d.pk for d in drafts]).values_list("series_number", flat=True))
        counter = NumberCounter.objects.get(series="vat")
    assert numbers == list(range(1, ISSUERS + 1))
    assert counter.last_number == ISSUERS


def test_two_clicks_on_issue_number_the_draft_once(committed):
    company = committed.a
    with schema_context(company.schema_name):
        szef = User.objects.get(email="szef@alfa.test")
        draft = draft_make()
    clients = [api_client_for(company, szef) for _ in range(2)]
    barrier = threading.Barrier(2, timeout=30)
    answers: list[object] = [None, None]

    def issue(index: int) -> None:
        try:
            barrier.wait()
            answers[index] = clients[index].post(f"/api/v1/invoices/{draft.pk}/issue/").status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(answers) == [200, 400]  # type: ignore[type-var]
    with schema_context(company.schema_name):
        assert NumberCounter.objects.get(series="vat").last_number == 1


def test_a_request_that_meets_a_number_already_given_issues_with_the_next_one(committed):
    """Through the API an issue is its own transaction, committed with the numbering
    statement: a number whose text exists (two series sharing a pattern) is skipped and
    the draft is numbered with the next one, reported once."""
    company = committed.a
    with schema_context(company.schema_name):
        CompanySettings.objects.filter(pk=1).update(
            invoice_number_pattern="FV/{YYYY}/{MM}/{NR}", proforma_number_pattern="FV/{YYYY}/{MM}/{NR}"
        )
        szef = User.objects.get(email="szef@alfa.test")
        vat, proforma = draft_make(), draft_make(kind="proforma")
    client = api_client_for(company, szef)

    answers = [client.post(f"/api/v1/invoices/{draft.pk}/issue/") for draft in (vat, proforma)]

    assert [answer.status_code for answer in answers] == [200, 200]
    with schema_context(company.schema_name):
        vat.refresh_from_db()
        proforma.refresh_from_db()
        counters = dict(NumberCounter.objects.values_list("series", "last_number"))
        reported = list(
            ActivityEntry.objects.filter(code="invoice.issued", object_id=str(proforma.pk)).values_list(
                "params__number", flat=True
            )
        )
    assert answers[1].json()["number"] == proforma.number
    assert (vat.number, proforma.number, proforma.series_number) == (vat.number, vat.number[:-1] + "2", 2)
    assert vat.series_number == 1 and proforma.status == InvoiceStatus.ISSUED
    assert counters == {"vat": 1, "proforma": 2}
    assert reported == [proforma.number]
