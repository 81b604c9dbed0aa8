"""E-mailing an issued invoice to the customer through the company's own SMTP server (a
real one on 127.0.0.1, tests/support/fake_smtp.py): the PDF is attached, the card and the
API record it; a draft, a company without SMTP settings or a wrong address send nothing."""

from __future__ import annotations

import email
from email import policy

import pytest
from django.core.exceptions import ValidationError

from crm.activity.models import ActivityEntry
from crm.invoicing.emails import InvoiceEmailError, invoice_email_send
from crm.invoicing.models import Invoice
from crm.invoicing.services import invoice_correction_create, invoice_issue
from crm.invoicing.services.emailing import invoice_email
from crm.notes.models import TimelineEvent
from tests.crm.contacts.factories import ContactPersonFactory
from tests.crm.documents.factories import pdf_text
from tests.crm.invoicing.factories import buyer_make, draft_make, issued_make, line
from tests.crm.offers.factories import offer_make
from tests.support.fake_smtp import smtp_server_running

BANK = "PL61109010140000071219812874"


def _parsed(envelope):
    return email.message_from_bytes(envelope.content, policy=policy.default)


def _pdfs(message):
    return [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]


@pytest.fixture
def smtp(company_settings_a):
    """Company A sends through the local SMTP server (`.sink.messages` holds what it got)."""
    with smtp_server_running() as server:
        company_settings_a(
            smtp_host="127.0.0.1",
            smtp_port=server.port,
            smtp_security="none",
            smtp_from="Alfa <faktury@alfa.test>",
            bank_account=BANK,
        )
        yield server


def test_the_customer_gets_the_invoice_with_its_pdf_amount_due_date_and_account(smtp, szef, in_a):
    with in_a():
        invoice = issued_make(customer=buyer_make(email="ksiegowosc@srubex.test"))
        invoice_email(invoice=invoice, actor=szef, to="ksiegowosc@srubex.test", message="Dziękujemy za zamówienie.")
        stored = Invoice.objects.get(pk=invoice.pk)

    assert len(smtp.sink.messages) == 1
    envelope = smtp.sink.messages[0]
    assert envelope.rcpt_tos == ["ksiegowosc@srubex.test"]
    message = _parsed(envelope)
    assert message["From"] == "Alfa <faktury@alfa.test>"
    assert message["Reply-To"] == "szef@alfa.test"
    assert message["Subject"].endswith(f"Faktura {invoice.number} od „Alfa Sp. z o.o.”")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Dziękujemy za zamówienie." in body
    assert invoice.number in body and "1\xa0230,00 PLN" in body
    assert invoice.due_date.strftime("%d.%m.%Y") in body and BANK in body
    [pdf] = _pdfs(message)
    assert pdf.get_filename() == invoice.number.replace("/", "_") + ".pdf"
    assert invoice.number in pdf_text(pdf.get_content())
    assert stored.emailed_at is not None and stored.emailed_to == "ksiegowosc@srubex.test"


def test_an_english_invoice_goes_out_in_english(smtp, szef, in_a):
    with in_a():
        offer = offer_make(actor=szef, language="en")
        invoice = invoice_issue(invoice=draft_make(customer=offer.customer, offer=offer), actor=szef)
        invoice_email(invoice=invoice, actor=szef, to="buyer@example.test")

    message = _parsed(smtp.sink.messages[0])
    assert message["Subject"].endswith(f"Invoice {invoice.number} from „Alfa Sp. z o.o.”")
    assert "Payment due" in message.get_body(preferencelist=("plain",)).get_content()


def test_a_correction_goes_out_with_the_corrections_pdf(smtp, szef, in_a):
    with in_a():
        original = issued_make()
        draft = invoice_correction_create(original=original, actor=szef, reason="Rabat", lines=[line(net_price="900")])
        correction = invoice_issue(invoice=draft, actor=szef)
        invoice_email(invoice=correction, actor=szef, to="ksiegowosc@srubex.test")

    message = _parsed(smtp.sink.messages[0])
    assert correction.number in message["Subject"] and "korygująca" in message["Subject"]
    assert original.number in message.get_body(preferencelist=("plain",)).get_content()
    [pdf] = _pdfs(message)
    text = pdf_text(pdf.get_content())
    assert correction.number in text and original.number in text


def test_a_pro_forma_may_be_sent_but_a_draft_never(smtp, szef, in_a):
    with in_a():
        proforma = issued_make(kind="proforma")
        invoice_email(invoice=proforma, actor=szef, to="ksiegowosc@srubex.test")
        draft = draft_make()
        with pytest.raises(InvoiceEmailError) as refused:
            invoice_email(invoice=draft, actor=szef, to="ksiegowosc@srubex.test")
        assert Invoice.objects.get(pk=draft.pk).emailed_at is None

    assert refused.value.message == "E-mailem wysyła się tylko wystawioną fakturę, nie szkic."
    assert len(smtp.sink.messages) == 1


def test_without_the_companys_smtp_nothing_is_sent_and_szef_is_told_where_to_set_it(szef, in_a, mailoutbox):
    with in_a():
        invoice = issued_make()
        with pytest.raises(InvoiceEmailError) as refused:
            invoice_email_send(invoice=invoice, to=["ksiegowosc@srubex.test"])

    assert "skonfiguruj serwer SMTP" in refused.value.message
    assert mailoutbox == []


def test_a_wrong_address_is_refused_and_nothing_is_sent(smtp, szef, in_a):
    with in_a():
        invoice = issued_make()
        with pytest.raises(ValidationError) as refused:
            invoice_email(invoice=invoice, actor=szef, to="ksiegowosc@srubex.test, nie-adres")
        assert Invoice.objects.get(pk=invoice.pk).emailed_at is None

    assert refused.value.message_dict["to"] == ["„nie-adres” nie jest poprawnym adresem e-mail."]
    assert smtp.sink.messages == []


def test_sending_is_in_the_activity_log_and_the_timelines_of_the_invoice_and_customer(smtp, szef, in_a):
    with in_a():
        invoice = issued_make()
        invoice_email(invoice=invoice, actor=szef, to="ksiegowosc@srubex.test")
        entry = ActivityEntry.objects.get(code="invoice.emailed")
        events = list(TimelineEvent.objects.filter(kind="invoice_emailed"))

    assert entry.params == {"number": invoice.number, "to": "ksiegowosc@srubex.test"}
    assert [(e.customer_id, e.actor_id) for e in events] == [(invoice.customer_id, szef.pk)]
    assert "ksiegowosc@srubex.test" in events[0].message


# --- the page --------------------------------------------------------------------------


def test_the_card_offers_the_form_prefilled_with_the_customers_and_contacts_addresses(smtp, client_a, szef, in_a):
    with in_a():
        customer = buyer_make(email="biuro@srubex.test")
        ContactPersonFactory(customer=customer, name="Anna Księgowa", email="anna@srubex.test")
        invoice = issued_make(customer=customer)
    client_a.login_as(szef)

    card = client_a.get(f"/invoices/{invoice.pk}/").content.decode()
    page = client_a.get(f"/invoices/{invoice.pk}/email/").content.decode()

    assert f'href="/invoices/{invoice.pk}/email/"' in card
    assert 'value="biuro@srubex.test"' in page and "Anna Księgowa &lt;anna@srubex.test&gt;" in page


def test_the_page_sends_to_the_typed_and_ticked_addresses_and_the_card_says_so(smtp, client_a, szef, in_a):
    with in_a():
        customer = buyer_make(email="biuro@srubex.test")
        ContactPersonFactory(customer=customer, name="Anna Księgowa", email="anna@srubex.test")
        invoice = issued_make(customer=customer)
    client_a.login_as(szef)

    response = client_a.post(
        f"/invoices/{invoice.pk}/email/",
        {"to": "biuro@srubex.test", "contacts": ["anna@srubex.test"], "message": "W załączeniu faktura."},
        follow=True,
    )

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/invoices/{invoice.pk}/"
    assert "Wysłano fakturę" in page and 'data-testid="invoice-emailed"' in page
    assert "biuro@srubex.test, anna@srubex.test" in page
    assert sorted(smtp.sink.messages[0].rcpt_tos) == ["anna@srubex.test", "biuro@srubex.test"]


def test_the_page_shows_a_wrong_address_next_to_the_field_and_sends_nothing(smtp, client_a, szef, in_a):
    with in_a():
        invoice = issued_make()
    client_a.login_as(szef)

    wrong = client_a.post(f"/invoices/{invoice.pk}/email/", {"to": "nie-adres"})
    empty = client_a.post(f"/invoices/{invoice.pk}/email/", {"to": ""})

    assert wrong.status_code == 400 and "„nie-adres” nie jest poprawnym adresem e-mail." in wrong.content.decode()
    assert empty.status_code == 400 and "Podaj adres e-mail klienta." in empty.content.decode()
    assert smtp.sink.messages == []


def test_the_page_says_when_the_company_has_no_smtp(client_a, szef, in_a, mailoutbox):
    with in_a():
        invoice = issued_make()
    client_a.login_as(szef)

    refused = client_a.post(f"/invoices/{invoice.pk}/email/", {"to": "biuro@srubex.test"})

    assert refused.status_code == 400 and "skonfiguruj serwer SMTP" in refused.content.decode()
    assert mailoutbox == []


def test_a_draft_has_no_email_button_and_its_page_sends_back_to_the_card(smtp, client_a, szef, in_a):
    with in_a():
        draft = draft_make(actor=szef)
    client_a.login_as(szef)

    card = client_a.get(f"/invoices/{draft.pk}/").content.decode()
    page = client_a.get(f"/invoices/{draft.pk}/email/", follow=True)

    assert f"/invoices/{draft.pk}/email/" not in card
    assert "tylko wystawioną fakturę" in page.content.decode()


# --- the API and who may ---------------------------------------------------------------


def test_the_api_sends_to_the_customer_by_default_and_answers_with_emailed_at(smtp, api_szef, in_a):
    with in_a():
        invoice = issued_make(customer=buyer_make(email="biuro@srubex.test"))

    answer = api_szef.post(f"/api/v1/invoices/{invoice.pk}/email/", {}, content_type="application/json")

    assert answer.status_code == 200
    assert answer.json()["emailed_to"] == "biuro@srubex.test" and answer.json()["emailed_at"]
    assert smtp.sink.messages[0].rcpt_tos == ["biuro@srubex.test"]


def test_the_api_refuses_a_wrong_address_a_draft_and_no_smtp_with_400(api_szef, company_settings_a, in_a):
    with in_a():
        invoice = issued_make(customer=buyer_make(email=""))
        draft = draft_make()
    url = f"/api/v1/invoices/{invoice.pk}/email/"

    no_smtp = api_szef.post(url, {"to": ["biuro@srubex.test"]}, content_type="application/json")
    with smtp_server_running() as server:
        company_settings_a(smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none", smtp_from="a@alfa.test")
        wrong = api_szef.post(url, {"to": ["nie-adres"]}, content_type="application/json")
        nobody = api_szef.post(url, {"message": "x"}, content_type="application/json")
        not_issued = api_szef.post(
            f"/api/v1/invoices/{draft.pk}/email/", {"to": ["a@srubex.test"]}, content_type="application/json"
        )
        sent = list(server.sink.messages)

    assert no_smtp.status_code == 400 and "skonfiguruj serwer SMTP" in no_smtp.json()["detail"]
    assert wrong.status_code == 400 and "to" in wrong.json()
    assert nobody.status_code == 400 and nobody.json()["to"] == ["Podaj adres e-mail klienta."]
    assert not_issued.status_code == 400 and "status" in not_issued.json()
    assert sent == []


def test_pracownik_may_send_only_when_szef_lets_him_issue(
    smtp, api_pracownik, client_a, pracownik, company_settings_a, in_a
):
    with in_a():
        invoice = issued_make()
    url = f"/api/v1/invoices/{invoice.pk}/email/"
    client_a.login_as(pracownik)

    refused_api = api_pracownik.post(url, {"to": ["biuro@srubex.test"]}, content_type="application/json")
    refused_page = client_a.post(f"/invoices/{invoice.pk}/email/", {"to": "biuro@srubex.test"})
    no_button = client_a.get(f"/invoices/{invoice.pk}/").content.decode()
    company_settings_a(pracownik_may_issue_invoices=True)
    allowed = api_pracownik.post(url, {"to": ["biuro@srubex.test"]}, content_type="application/json")

    assert (refused_api.status_code, refused_page.status_code) == (403, 403)
    assert f"/invoices/{invoice.pk}/email/" not in no_button
    assert allowed.status_code == 200
    assert len(smtp.sink.messages) == 1


def test_kierownik_may_send(smtp, api_kierownik, in_a):
    with in_a():
        invoice = issued_make()

    answer = api_kierownik.post(
        f"/api/v1/invoices/{invoice.pk}/email/", {"to": ["biuro@srubex.test"]}, content_type="application/json"
    )

    assert answer.status_code == 200


def test_another_companys_or_an_invisible_invoice_is_not_found(
    smtp, api_outsider, client_b, outsider, api_restricted_pracownik, company_settings_a, szef, in_a
):
    with in_a():
        invoice = issued_make()
    company_settings_a(pracownik_may_issue_invoices=True, restrict_pracownik_to_own=True)
    client_b.login_as(outsider)

    api = api_outsider.post(
        f"/api/v1/invoices/{invoice.pk}/email/", {"to": ["x@beta.test"]}, content_type="application/json"
    )
    page = client_b.post(f"/invoices/{invoice.pk}/email/", {"to": "x@beta.test"})
    hidden = api_restricted_pracownik.post(
        f"/api/v1/invoices/{invoice.pk}/email/", {"to": ["x@alfa.test"]}, content_type="application/json"
    )

    assert (api.status_code, page.status_code, hidden.status_code) == (404, 404, 404)
    assert smtp.sink.messages == []
