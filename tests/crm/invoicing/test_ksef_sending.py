"""Sending issued invoices to KSeF in the background, against the local fake KSeF 2.0:
accepted (number and UPO stored), rejected (reason on the card), transient failures retried
with backoff, duplicates refused, every step in the activity log."""

from __future__ import annotations

import pytest

from crm.activity.models import ActivityEntry
from crm.invoicing.models import Invoice, InvoiceKind, KsefStatus
from crm.invoicing.tasks import backoff_seconds, invoice_ksef_send_task
from crm.systemlog.models import SystemEvent
from tests.crm.invoicing.factories import issued_make
from tests.support.api_tokens import api_headers


def _run_task(company, invoice):
    """The Celery task, run here (retries too: an eager retry runs at once, without the countdown)."""
    result = invoice_ksef_send_task.apply(args=[invoice.pk], headers={"_schema_name": company.schema_name})
    result.get()  # raises what the task raised
    return result


def _codes(in_a, invoice):
    with in_a():
        entries = ActivityEntry.objects.filter(object_id=str(invoice.pk), object_type="invoicing.invoice")
        return list(entries.order_by("created_at", "id").values_list("code", flat=True))


def test_an_accepted_invoice_gets_its_ksef_number_and_a_downloadable_upo(
    ksef_on, api_szef, client_a, szef, company_a, in_a
):
    with in_a():
        invoice = issued_make()

    queued = api_szef.post(f"/api/v1/invoices/{invoice.pk}/send-ksef/")
    assert queued.status_code == 202, queued.content
    assert queued.json()["ksef_status"] == "queued"
    assert _run_task(company_a, invoice).get() == KsefStatus.ACCEPTED

    with in_a():
        invoice.refresh_from_db()
    assert invoice.ksef_status == KsefStatus.ACCEPTED
    assert invoice.ksef_number.startswith(ksef_on.accepted()[0].ksef_number[:10])
    assert invoice.ksef_number == ksef_on.accepted()[0].ksef_number
    assert "<" in invoice.ksef_upo and invoice.ksef_number in invoice.ksef_upo
    assert api_szef.get(f"/api/v1/invoices/{invoice.pk}/").json()["ksef_number"] == invoice.ksef_number
    client_a.login_as(szef)
    card = client_a.get(f"/invoices/{invoice.pk}/").content.decode()
    assert invoice.ksef_number in card
    upo = client_a.get(f"/invoices/{invoice.pk}/upo.xml")
    assert upo.status_code == 200 and invoice.ksef_number.encode() in upo.content
    assert _codes(in_a, invoice)[-3:] == ["invoice.ksef_queued", "invoice.ksef_sending", "invoice.ksef_accepted"]


def test_a_rejection_is_stored_with_the_reason_and_shown_on_the_card(
    ksef_on, api_szef, client_a, szef, company_a, in_a
):
    with in_a():
        invoice = issued_make()
    ksef_on.reject_next("Błąd weryfikacji semantyki dokumentu faktury.")

    api_szef.post(f"/api/v1/invoices/{invoice.pk}/send-ksef/")
    _run_task(company_a, invoice)

    with in_a():
        invoice.refresh_from_db()
    assert invoice.ksef_status == KsefStatus.REJECTED
    assert "Błąd weryfikacji semantyki" in invoice.ksef_error
    assert invoice.ksef_number == ""
    client_a.login_as(szef)
    card = client_a.get(f"/invoices/{invoice.pk}/").content.decode()
    assert 'data-testid="invoice-ksef-error"' in card and "Błąd weryfikacji semantyki" in card
    assert "invoice.ksef_rejected" in _codes(in_a, invoice)
    with in_a():  # and in Szef's system log, with KSeF's reason
        event = SystemEvent.objects.filter(kind="ksef_rejected", object_id=str(invoice.pk)).latest("id")
    assert "Błąd weryfikacji semantyki" in event.detail and invoice.number in event.message


def test_transient_failures_are_retried_until_ksef_accepts(ksef_on, api_szef, company_a, in_a):
    with in_a():
        invoice = issued_make()
    ksef_on.fail_next(2, status=503, path="/auth/challenge")

    api_szef.post(f"/api/v1/invoices/{invoice.pk}/send-ksef/")
    _run_task(company_a, invoice)

    with in_a():
        invoice.refresh_from_db()
    assert invoice.ksef_status == KsefStatus.ACCEPTED
    assert invoice.ksef_attempts == 3
    assert _codes(in_a, invoice).count("invoice.ksef_error") == 2
    assert len(ksef_on.accepted()) == 1


def test_after_the_last_retry_the_invoice_is_marked_failed_and_may_be_sent_again(
    ksef_on, api_szef, company_a, in_a, settings
):
    settings.IMCRM_KSEF_MAX_RETRIES = 1
    with in_a():
        invoice = issued_make()
    ksef_on.fail_next(10, status=503, path="/auth/challenge")

    api_szef.post(f"/api/v1/invoices/{invoice.pk}/send-ksef/")
    _run_task(company_a, invoice)

    with in_a():
        invoice.refresh_from_db()
    assert invoice.ksef_status == KsefStatus.ERROR
    assert "KSeF nie odpowiada" in invoice.ksef_error
    with in_a():
        event = SystemEvent.objects.filter(kind="ksef_failed", object_id=str(invoice.pk)).latest("id")
    assert "KSeF nie odpowiada" in event.message
    assert api_szef.post(f"/api/v1/invoices/{invoice.pk}/send-ksef/").status_code == 202


def test_backoff_doubles_and_respects_what_ksef_asked():
    assert [backoff_seconds(n) for n in range(4)] == [30, 60, 120, 240]
    assert backoff_seconds(10) == 3600
    assert backoff_seconds(0, 600) == 600


def test_a_second_send_is_refused_while_queued_and_after_acceptance(ksef_on, api_szef, company_a, in_a):
    with in_a():
        invoice = issued_make()

    first = api_szef.post(f"/api/v1/invoices/{invoice.pk}/send-ksef/")
    again = api_szef.post(f"/api/v1/invoices/{invoice.pk}/send-ksef/")
    _run_task(company_a, invoice)
    _run_task(company_a, invoice)  # a second delivery of the same job does nothing
    after = api_szef.post(f"/api/v1/invoices/{invoice.pk}/send-ksef/")

    assert first.status_code == 202
    assert again.status_code == 400 and "wysyłana" in again.json()["status"][0]
    assert after.status_code == 400 and "jest już w KSeF" in after.json()["status"][0]
    assert len(ksef_on.accepted()) == 1


def test_a_proforma_never_goes_to_ksef(ksef_on, api_szef, in_a):
    with in_a():
        proforma = issued_make(kind=InvoiceKind.PROFORMA)

    response = api_szef.post(f"/api/v1/invoices/{proforma.pk}/send-ksef/")
    xml = api_szef.get(f"/api/v1/invoices/{proforma.pk}/ksef.xml")

    assert response.status_code == 400 and "pro forma" in response.json()["status"][0]
    assert xml.status_code == 400
    assert ksef_on.calls("POST", "/sessions/online") == []


@pytest.mark.parametrize("rank", ["pracownik", "kierownik"])
def test_only_szef_and_kierownik_send_to_ksef(rank, ksef_on, client_a, company_a, request, in_a):
    user = request.getfixturevalue(rank)
    with in_a():
        invoice = issued_make()

    response = client_a.post(f"/api/v1/invoices/{invoice.pk}/send-ksef/", **api_headers(company_a, user))

    assert response.status_code == (403 if rank == "pracownik" else 202)
    with in_a():
        expected = KsefStatus.NOT_SENT if rank == "pracownik" else KsefStatus.QUEUED
        assert Invoice.objects.get(pk=invoice.pk).ksef_status == expected


def test_sending_is_refused_while_ksef_is_switched_off(ksef_on, api_szef, company_settings_a, in_a):
    company_settings_a(ksef_enabled=False)
    with in_a():
        invoice = issued_make()

    response = api_szef.post(f"/api/v1/invoices/{invoice.pk}/send-ksef/")

    assert response.status_code == 400 and "wyłączona" in response.json()["status"][0]
