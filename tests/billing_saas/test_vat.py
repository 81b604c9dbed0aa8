"""Prices are net + 23% VAT: the billing page shows net, VAT and gross, Stripe Checkout
adds the VAT through an exclusive 23% tax rate, and the company's NIP goes to its
Stripe customer as an EU VAT number."""

from __future__ import annotations

from decimal import Decimal

from django_tenants.utils import schema_context

from billing_saas.models import Plan
from crm.company.models import CompanySettings
from tenants.models import Company
from tests.billing_saas.conftest import company_set


def _confirmed(company: Company) -> None:
    from django.utils import timezone

    company_set(company, owner_email_confirmed_at=timezone.now())


def _nip(company: Company, value: str) -> None:
    with schema_context(company.schema_name):
        CompanySettings.objects.update_or_create(pk=1, defaults={"tax_id": value})


def test_billing_page_shows_net_vat_and_gross(client_a, szef, fake_stripe):
    plan = Plan.objects.get(code="start")
    plan.price_monthly, plan.price_yearly = Decimal("99.00"), Decimal("990.00")
    plan.save()
    html = client_a.login_as(szef).get("/settings/billing/").content.decode()
    tax = html.split('data-testid="plan-start-tax"')[1].split("</dl>")[0]
    assert "99,00 zł" in tax or "99.00 zł" in tax
    assert "22,77 zł" in tax or "22.77 zł" in tax  # 23% of 99.00
    assert "121,77 zł" in tax or "121.77 zł" in tax
    assert "1\xa0217,70" in tax  # yearly gross, grouped as Polish numbers are
    assert "121,77 zł brutto" in html or "121.77 zł brutto" in html  # on the pay button


def test_checkout_adds_23_percent_vat_as_an_exclusive_tax_rate(client_a, szef, company_a, fake_stripe):
    _confirmed(company_a)
    client_a.login_as(szef)
    assert client_a.post("/settings/billing/checkout/", {"plan": "start", "interval": "month"}).status_code == 303
    assert len(fake_stripe.tax_rates) == 1
    rate = next(iter(fake_stripe.tax_rates.values()))
    assert rate["percentage"] == 23.0 and rate["inclusive"] is False and rate["country"] == "PL"
    session = fake_stripe.calls("POST", "/v1/checkout/sessions")[0].params
    assert session["line_items"][0]["tax_rates"] == [rate["id"]]
    # A second checkout finds the same rate instead of creating another one.
    fake_stripe.customers.clear()
    client_a.post("/settings/billing/checkout/", {"plan": "firma", "interval": "year"})
    assert len(fake_stripe.tax_rates) == 1


def test_the_companys_nip_goes_to_the_stripe_customer_as_an_eu_vat_number(client_a, szef, company_a, fake_stripe):
    _confirmed(company_a)
    _nip(company_a, "5252248481")
    client_a.login_as(szef)
    assert client_a.post("/settings/billing/checkout/", {"plan": "start", "interval": "month"}).status_code == 303
    customer = next(iter(fake_stripe.customers))
    assert [(t["type"], t["value"]) for t in fake_stripe.tax_ids[customer]] == [("eu_vat", "PL5252248481")]
    client_a.post("/settings/billing/checkout/", {"plan": "start", "interval": "month"})
    assert len(fake_stripe.tax_ids[customer]) == 1  # not added twice


def test_a_nip_stripe_refuses_stops_checkout_with_a_message(client_a, szef, company_a, fake_stripe, monkeypatch):
    from billing_saas import checkout

    _confirmed(company_a)
    _nip(company_a, "5252248481")
    monkeypatch.setattr(checkout, "eu_vat_id", lambda nip: "PL12")  # a number Stripe rejects
    client_a.login_as(szef)
    response = client_a.post("/settings/billing/checkout/", {"plan": "start", "interval": "month"}, follow=True)
    assert "Stripe nie przyjął NIP-u PL12" in response.content.decode()
    assert not fake_stripe.calls("POST", "/v1/checkout/sessions")


def test_without_a_nip_no_tax_id_is_sent(client_a, szef, company_a, fake_stripe):
    _confirmed(company_a)
    _nip(company_a, "")
    client_a.login_as(szef).post("/settings/billing/checkout/", {"plan": "start", "interval": "month"})
    assert not fake_stripe.calls("POST", "/v1/customers/cus")
    assert fake_stripe.calls("POST", "/v1/checkout/sessions")
