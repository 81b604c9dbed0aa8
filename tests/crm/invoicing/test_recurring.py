"""Recurring invoices: made by Szef or Kierownik (pages and API), issued by the daily beat
job exactly once per period (also when it runs twice or two workers race), as drafts when
asked, until the end date; each in the activity log."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceStatus, RecurringInvoice, RecurringInvoiceRun
from crm.invoicing.recurring import date_advance, period_of, recurring_create, recurring_invoices_issue
from crm.invoicing.tasks import recurring_issue
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.invoicing.factories import issued_make, line


def _today() -> date:
    return timezone.localdate()


def _template(**kwargs: Any) -> Invoice:
    kwargs.setdefault("lines", [line(name="Abonament CRM", net_price="500.00")])
    return issued_make(**kwargs)


def test_periods_and_dates():
    assert period_of(date(2026, 12, 3), "monthly") == "2026-12"
    assert period_of(date(2026, 11, 30), "quarterly") == "2026-Q4"
    assert period_of(date(2026, 1, 1), "yearly") == "2026"
    jan31 = date(2027, 1, 31)
    feb = date_advance(jan31, "monthly", anchor_day=31)
    assert feb == date(2027, 2, 28)
    assert date_advance(feb, "monthly", anchor_day=31) == date(2027, 3, 31)
    assert date_advance(date(2026, 11, 15), "quarterly", anchor_day=15) == date(2027, 2, 15)
    assert date_advance(date(2028, 2, 29), "yearly", anchor_day=29) == date(2029, 2, 28)


def test_beat_issues_the_period_once_even_when_it_runs_twice(company_a, szef, in_a):
    with in_a():
        template = _template()
        recurring = recurring_create(actor=szef, template=template, interval="monthly", next_date=_today())

    first = recurring_issue.apply(headers={"_schema_name": company_a.schema_name}, throw=True).get()
    second = recurring_issue.apply(headers={"_schema_name": company_a.schema_name}, throw=True).get()

    assert (first, second) == (1, 0)
    with in_a():
        made = Invoice.objects.exclude(pk=template.pk).get()
        assert made.status == InvoiceStatus.ISSUED and made.number and made.number != template.number
        assert made.customer_id == template.customer_id and made.gross_total == Decimal("615.00")
        assert made.sale_date == _today()
        assert (made.due_date - made.issue_date) == (template.due_date - template.issue_date)
        recurring.refresh_from_db()
        assert recurring.last_period == period_of(_today(), "monthly")
        assert recurring.next_date == date_advance(_today(), "monthly", anchor_day=_today().day)
        assert RecurringInvoiceRun.objects.get().invoice_id == made.pk
        assert ActivityEntry.objects.filter(code="recurring.issued", params__number=made.number).count() == 1
        assert ActivityEntry.objects.filter(code="recurring.created").count() == 1


def test_a_draft_is_prepared_when_szef_wants_to_check_first(szef, in_a):
    with in_a():
        template = _template()
        recurring_create(
            actor=szef, template=template, interval="quarterly", next_date=_today(), issue_automatically=False
        )

        assert recurring_invoices_issue() == 1

        made = Invoice.objects.exclude(pk=template.pk).get()
        assert (made.status, made.number) == (InvoiceStatus.DRAFT, "")
        assert ActivityEntry.objects.filter(code="recurring.drafted").exists()


def test_missed_periods_are_caught_up_one_by_one_and_the_end_date_stops_it(szef, in_a):
    with in_a():
        template = _template()
        recurring = RecurringInvoice.objects.create(
            template=template,
            interval="monthly",
            next_date=_today() - timedelta(days=70),
            anchor_day=(_today() - timedelta(days=70)).day,
            end_date=_today() + timedelta(days=1),
        )

        made = recurring_invoices_issue()

        recurring.refresh_from_db()
        periods = sorted(RecurringInvoiceRun.objects.values_list("period", flat=True))
        assert made == len(periods) == 3
        assert len(set(periods)) == 3
        assert recurring.active is False  # the next date is past the end date
        assert recurring_invoices_issue() == 0


def test_concurrent_runs_issue_a_period_exactly_once(committed):
    import threading

    from django.db import connections

    from crm.accounts.models import User
    from tenants.db import connection

    company = committed.a
    connection.set_tenant(company)
    szef = User.objects.get(email="szef@alfa.test")
    template = issued_make(customer=CustomerFactory(), lines=[line(net_price="100.00")])
    recurring_create(actor=szef, template=template, interval="monthly", next_date=_today())
    connection.set_schema_to_public()
    results: list[int] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            with schema_context(company.schema_name):
                barrier.wait()
                results.append(recurring_invoices_issue())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1]
    with schema_context(company.schema_name):
        assert Invoice.objects.filter(customer=template.customer).count() == 2


# --- API ------------------------------------------------------------------------------------------


def _post(api, template, **extra):
    body = {"template": template.pk, "interval": "monthly", "next_date": _today().isoformat(), **extra}
    return api.post("/api/v1/recurring-invoices/", body, content_type="application/json")


def test_kierownik_makes_an_invoice_recurring_through_the_api(api_kierownik, in_a):
    with in_a():
        template = _template()

    response = _post(api_kierownik, template, end_date=(_today() + timedelta(days=365)).isoformat())

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["template_number"], body["interval"], body["active"]) == (template.number, "monthly", True)
    again = _post(api_kierownik, template)
    assert again.status_code == 400 and "template" in again.json()

    stopped = api_kierownik.patch(
        f"/api/v1/recurring-invoices/{body['id']}/", {"active": False}, content_type="application/json"
    )
    assert stopped.status_code == 200 and stopped.json()["active"] is False
    with in_a():
        assert ActivityEntry.objects.filter(code="recurring.stopped").exists()
    assert api_kierownik.delete(f"/api/v1/recurring-invoices/{body['id']}/").status_code == 204


def test_bad_recurrences_are_refused_with_a_reason(api_szef, in_a):
    with in_a():
        template = _template()
        proforma = _template(kind=InvoiceKind.PROFORMA)
    yesterday = (_today() - timedelta(days=1)).isoformat()

    assert "next_date" in _post(api_szef, template, next_date=yesterday).json()
    assert "end_date" in _post(api_szef, template, end_date=yesterday).json()
    assert "template" in _post(api_szef, proforma).json()
    assert "interval" in _post(api_szef, template, interval="weekly").json()
    with in_a():
        assert not RecurringInvoice.objects.exists()


def test_pracownik_reads_but_may_not_write_and_another_company_gets_404(api_pracownik, api_outsider, szef, in_a):
    with in_a():
        template = _template()
        recurring = recurring_create(actor=szef, template=template, interval="yearly", next_date=_today())

    assert [r["id"] for r in api_pracownik.get("/api/v1/recurring-invoices/").json()["results"]] == [recurring.pk]
    assert _post(api_pracownik, _template_in(in_a)).status_code == 403
    assert api_pracownik.delete(f"/api/v1/recurring-invoices/{recurring.pk}/").status_code == 403
    assert api_outsider.get(f"/api/v1/recurring-invoices/{recurring.pk}/").status_code == 404
    assert api_outsider.get("/api/v1/recurring-invoices/").json()["results"] == []


def _template_in(in_a: Any) -> Invoice:
    with in_a():
        return _template()


# --- pages ------------------------------------------------------------------------------------------


def test_szef_makes_an_invoice_recurring_on_its_page(client_a, szef, in_a):
    with in_a():
        template = _template()
    client_a.login_as(szef)
    url = f"/invoices/{template.pk}/recurring/"

    assert 'data-testid="recurring-form"' in client_a.get(url).content.decode()
    next_date = (_today() + timedelta(days=30)).isoformat()
    response = client_a.post(url, {"interval": "quarterly", "next_date": next_date, "issue_automatically": "on"})

    assert response.status_code == 302
    with in_a():
        recurring = RecurringInvoice.objects.get(template=template)
        assert (recurring.interval, recurring.next_date.isoformat()) == ("quarterly", next_date)
    card = client_a.get(f"/invoices/{template.pk}/").content.decode()
    assert 'data-testid="recurring-summary"' in card
    assert template.number in client_a.get("/invoices/recurring/").content.decode()

    bad = client_a.post(url, {"interval": "monthly", "next_date": "2020-01-01", "active": "on"})
    assert bad.status_code == 400 and "wcześniejsza niż dziś" in bad.content.decode()

    assert client_a.post(f"{url}delete/").status_code == 302
    with in_a():
        assert not RecurringInvoice.objects.exists()


def test_pracownik_sees_no_form_and_is_refused_and_outsider_gets_404(client_a, client_b, pracownik, outsider, in_a):
    with in_a():
        template = _template()
    client_a.login_as(pracownik)
    url = f"/invoices/{template.pk}/recurring/"

    assert 'data-testid="recurring-form"' not in client_a.get(url).content.decode()
    assert client_a.post(url, {"interval": "monthly", "next_date": _today().isoformat()}).status_code == 403
    client_b.login_as(outsider)
    assert client_b.get(url).status_code == 404
    assert client_b.post(f"{url}delete/").status_code == 404
