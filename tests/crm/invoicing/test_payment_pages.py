"""The payments block of an invoice (/invoices/<pk>/payments/ and the invoice card's
section), the reminder button, and Szef's reminder settings: through the pages, with
ranks and another company kept apart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from crm.activity.models import ActivityEntry
from crm.common.records import card_section
from crm.invoicing.models import InvoiceStatus, Payment, PaymentReminder, PaymentReminderSettings
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.invoicing.payments_factories import InvoiceFactory, PaymentFactory
from tests.support.fake_smtp import smtp_server_running


def test_szef_records_a_partial_payment_on_the_page(client_a, szef, in_a):
    with in_a():
        invoice = InvoiceFactory(number="FV/2026/12/1")
    client_a.login_as(szef)

    page = client_a.get(f"/invoices/{invoice.pk}/payments/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "FV/2026/12/1" in html and 'data-testid="payment-form"' in html
    assert 'value="1230.00"' in html  # what is left, ready to accept

    response = client_a.post(
        f"/invoices/{invoice.pk}/payments/",
        {"amount": "230.00", "paid_at": timezone.localdate().isoformat(), "method": "cash", "note": "Zaliczka"},
    )
    assert response.status_code == 302
    page = client_a.get(f"/invoices/{invoice.pk}/payments/").content.decode()
    assert "Zaliczka" in page and "częściowo opłacona" in page
    with in_a():
        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.PARTIALLY_PAID


def test_the_form_shows_an_overpayment_next_to_the_amount_with_htmx(client_a, kierownik, in_a):
    with in_a():
        invoice = InvoiceFactory()
    client_a.login_as(kierownik)

    response = client_a.post(
        f"/invoices/{invoice.pk}/payments/",
        {"amount": "2000.00", "paid_at": timezone.localdate().isoformat(), "method": "transfer"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert html.lstrip().startswith("<section") and "Nadpłata" in html
    with in_a():
        assert not Payment.objects.exists()


def test_a_payment_is_deleted_by_kierownik(client_a, kierownik, in_a):
    with in_a():
        payment = PaymentFactory()
    client_a.login_as(kierownik)

    response = client_a.post(f"/invoices/{payment.invoice_id}/payments/{payment.pk}/delete/")

    assert response.status_code == 302
    with in_a():
        assert not Payment.objects.exists()


def test_pracownik_sees_payments_without_the_form_and_may_not_post(client_a, pracownik, in_a):
    with in_a():
        payment = PaymentFactory(note="Wpłata z banku")
    client_a.login_as(pracownik)
    url = f"/invoices/{payment.invoice_id}/payments/"

    html = client_a.get(url).content.decode()
    assert "Wpłata z banku" in html and 'data-testid="payment-form"' not in html
    today = timezone.localdate().isoformat()
    assert client_a.post(url, {"amount": "1.00", "paid_at": today, "method": "cash"}).status_code == 403
    assert client_a.post(f"{url}{payment.pk}/delete/").status_code == 403
    assert client_a.post(f"/invoices/{payment.invoice_id}/reminder/").status_code == 403


def test_restricted_pracownik_gets_404_for_someone_elses_invoice(client_a, restricted_pracownik, in_a):
    with in_a():
        own = InvoiceFactory(customer=CustomerFactory(owner=restricted_pracownik))
        other = InvoiceFactory()
    client_a.login_as(restricted_pracownik)

    assert client_a.get(f"/invoices/{own.pk}/payments/").status_code == 200
    assert client_a.get(f"/invoices/{other.pk}/payments/").status_code == 404


def test_another_company_gets_404_on_every_payments_page(client_b, outsider, in_a):
    with in_a():
        payment = PaymentFactory()
    client_b.login_as(outsider)
    pk = payment.invoice_id

    assert client_b.get(f"/invoices/{pk}/payments/").status_code == 404
    assert client_b.post(f"/invoices/{pk}/payments/", {"amount": "1"}).status_code == 404
    assert client_b.post(f"/invoices/{pk}/payments/{payment.pk}/delete/").status_code == 404
    assert client_b.post(f"/invoices/{pk}/reminder/").status_code == 404


def test_a_draft_shows_that_payments_come_after_issue(client_a, szef, in_a):
    with in_a():
        draft = InvoiceFactory(status=InvoiceStatus.DRAFT, number="")
    client_a.login_as(szef)

    html = client_a.get(f"/invoices/{draft.pk}/payments/").content.decode()

    assert 'data-testid="payment-form"' not in html and "po wystawieniu faktury" in html


def test_the_invoice_card_gets_the_payments_section(client_a, szef, in_a):
    section = card_section("invoice", "payments")
    assert section is not None and section.place == "main"
    with in_a():
        issued, draft = InvoiceFactory(), InvoiceFactory(status=InvoiceStatus.DRAFT, number="")
        assert section.available is not None and section.available(issued) and not section.available(draft)


def test_a_reminder_sent_by_hand_is_logged_and_mailed(client_a, szef, in_a, company_settings_a):
    with in_a():
        invoice = InvoiceFactory(
            customer=CustomerFactory(email="platnosci@klient.pl"), due_date=timezone.localdate() - timedelta(days=2)
        )
    client_a.login_as(szef)
    with smtp_server_running() as server:
        company_settings_a(smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none", smtp_from="f@alfa.test")

        response = client_a.post(f"/invoices/{invoice.pk}/reminder/", HTTP_HX_REQUEST="true")

        assert response.status_code == 200
        assert "platnosci@klient.pl" in response.content.decode()
        assert [m.rcpt_tos for m in server.sink.messages] == [["platnosci@klient.pl"]]
    with in_a():
        reminder = PaymentReminder.objects.get()
        assert (reminder.step, reminder.sent_by_id) == (None, szef.pk)
        assert ActivityEntry.objects.filter(code="invoice.reminder_sent", user=szef).exists()


def test_no_reminder_without_the_customers_email(client_a, szef, in_a):
    with in_a():
        invoice = InvoiceFactory(customer=CustomerFactory(email=""))
    client_a.login_as(szef)

    response = client_a.post(f"/invoices/{invoice.pk}/reminder/", HTTP_HX_REQUEST="true")

    assert response.status_code == 400
    assert "nie ma adresu e-mail" in response.content.decode()


# --- Settings > Przypomnienia o płatnościach -------------------------------------------------------


def test_szef_sets_the_schedule_and_texts(client_a, szef, in_a):
    client_a.login_as(szef)
    assert client_a.get("/settings/payment-reminders/").status_code == 200

    response = client_a.post(
        "/settings/payment-reminders/",
        {
            "enabled": "on",
            "first_after_days": "2",
            "repeat_every_days": "5",
            "max_count": "4",
            "subject": "Faktura {number} czeka",
            "body": "Do zapłaty {amount} od {due_date}. {company}",
        },
    )

    assert response.status_code == 302
    with in_a():
        settings = PaymentReminderSettings.current()
        assert (settings.enabled, settings.first_after_days, settings.repeat_every_days, settings.max_count) == (
            True,
            2,
            5,
            4,
        )
        assert settings.subject == "Faktura {number} czeka"
        assert ActivityEntry.objects.filter(code="invoice.reminders_changed").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("subject", "Faktura {numer}", "Nieznane pola w nawiasach: {numer}"),
        ("repeat_every_days", "0", ""),
        ("max_count", "100", ""),
    ],
)
def test_bad_settings_are_refused_next_to_the_field(client_a, szef, in_a, field, value, message):
    client_a.login_as(szef)
    data = {"first_after_days": "3", "repeat_every_days": "7", "max_count": "3", "subject": "", "body": ""}
    data[field] = value

    response = client_a.post("/settings/payment-reminders/", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    with in_a():
        assert PaymentReminderSettings.current().max_count == 3


def test_reminder_settings_are_szef_only(client_a, kierownik, client_b, outsider, api_kierownik, api_szef):
    assert client_a.login_as(kierownik).get("/settings/payment-reminders/").status_code == 403
    assert api_kierownik.get("/api/v1/settings/payment-reminders/").status_code == 403
    patched = api_szef.patch(
        "/api/v1/settings/payment-reminders/", {"max_count": 5, "body": "{kwota}"}, content_type="application/json"
    )
    assert patched.status_code == 400 and "body" in patched.json()
    patched = api_szef.patch("/api/v1/settings/payment-reminders/", {"max_count": 5}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["max_count"] == 5
    assert "number" in patched.json()["placeholders"]
