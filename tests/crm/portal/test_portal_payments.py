"""A contact pays an invoice by card from the portal: the button appears only when the
company's own Stripe account is set up, leads to that account's Checkout for what is left
to pay, and the company's webhook marks the invoice paid, which staff see."""

from __future__ import annotations

from decimal import Decimal

from django_tenants.utils import schema_context

from crm.invoicing.models import Invoice, InvoiceStatus
from tests.crm.payments.conftest import gateway_set, webhook_post
from tests.crm.portal.conftest import contact_with_portal, sign_in


def _invoice_for(company, contact) -> Invoice:
    from tests.crm.invoicing.factories import issued_make

    with schema_context(company.schema_name):
        return issued_make(customer=contact.customer)


def test_no_card_button_without_the_companys_stripe_account(portal_client, portal_contact, company_a):
    invoice = _invoice_for(company_a, portal_contact)
    page = portal_client.get("/portal/invoices/").content.decode()
    assert invoice.number in page and 'data-testid="portal-invoice-pay"' not in page
    refused = portal_client.post(f"/portal/invoices/{invoice.pk}/pay/")
    assert refused.status_code == 400 and 'data-testid="portal-pay-error"' in refused.content.decode()


def test_a_contact_pays_by_card_and_staff_see_the_invoice_paid(
    portal_client, portal_contact, company_a, fake_stripe, client_b, api_szef
):
    invoice = _invoice_for(company_a, portal_contact)
    with schema_context(company_a.schema_name):
        gateway_set()

    page = portal_client.get("/portal/invoices/").content.decode()
    assert f'action="/portal/invoices/{invoice.pk}/pay/"' in page
    response = portal_client.post(f"/portal/invoices/{invoice.pk}/pay/")

    assert response.status_code == 302 and response["Location"].startswith(fake_stripe.url)
    session_id = response["Location"].rsplit("/", 1)[1]
    session = fake_stripe.sessions[session_id]
    assert session["currency"].upper() == invoice.currency
    assert Decimal(session["amount_total"]) == invoice.gross_total * 100
    assert session["success_url"].endswith("/portal/invoices/?result=paid")

    assert webhook_post(portal_client, fake_stripe.payment_complete(session_id)).status_code == 200
    detail = api_szef.get(f"/api/v1/invoices/{invoice.pk}/").json()
    assert detail["status"] == InvoiceStatus.PAID
    thanks = portal_client.get("/portal/invoices/?result=paid").content.decode()
    assert 'data-testid="portal-pay-thanks"' in thanks and 'data-testid="portal-invoice-pay"' not in thanks


def test_another_customers_invoice_cannot_be_paid_from_this_portal(portal_client, company_a, fake_stripe):
    other = contact_with_portal(company_a, email="obcy@klient.test")
    invoice = _invoice_for(company_a, other)
    with schema_context(company_a.schema_name):
        gateway_set()
    assert portal_client.post(f"/portal/invoices/{invoice.pk}/pay/").status_code == 404
    assert all(s["metadata"].get("imcrm_invoice_id") != str(invoice.pk) for s in fake_stripe.sessions.values())


def test_the_pay_action_needs_the_invoices_permission(client_a, company_a, fake_stripe):
    contact = contact_with_portal(company_a, email="bez@klient.test", permissions=["offers"])
    invoice = _invoice_for(company_a, contact)
    with schema_context(company_a.schema_name):
        gateway_set()
    client = sign_in(client_a, contact.email)
    assert client.post(f"/portal/invoices/{invoice.pk}/pay/").status_code in (403, 404)
