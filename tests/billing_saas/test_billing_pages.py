from __future__ import annotations

from billing_saas.models import Plan
from tenants.models import CompanyStatus
from tests.billing_saas.conftest import account_of, company_set
from tests.support.fake_stripe import new_id


def _linked_customer(company, fake) -> str:
    customer = new_id("cus")
    fake.customers[customer] = {"id": customer, "object": "customer"}
    account = account_of(company)
    account.stripe_customer_id = customer
    account.save()
    return customer


def test_pricing_page_lists_the_active_plans_with_prices_and_limits(public_client):
    Plan.objects.filter(code="firma").update(is_active=False)
    response = public_client.get("/pricing/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Start" in html and "Biznes" in html and "Firma" not in html
    assert "49 zł" in html and "990 zł" in html
    assert "do 10 użytkowników" in html


def test_pricing_is_not_served_on_a_company_host(client_a):
    assert client_a.get("/pricing/").status_code == 404


def test_billing_page_without_stripe_keys_says_billing_is_not_configured(client_a, szef, settings):
    settings.STRIPE_SECRET_KEY = ""
    response = client_a.login_as(szef).get("/settings/billing/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="billing-not-configured"' in html
    assert "disabled" in html
    checkout = client_a.post("/settings/billing/checkout/", {"plan": "start", "interval": "month"}, follow=True)
    assert "nie są jeszcze skonfigurowane" in checkout.content.decode()
    portal = client_a.post("/settings/billing/portal/", follow=True)
    assert "nie są jeszcze skonfigurowane" in portal.content.decode()


def test_billing_page_shows_trial_plan_and_usage_to_szef(client_a, szef, company_a, fake_stripe):
    html = client_a.login_as(szef).get("/settings/billing/").content.decode()
    assert 'data-status="trial"' in html
    assert "Biznes" in html  # the trial runs on the plan marked as the trial default
    assert "2 / 10" in html  # two staff of Alfa, seat limit 10
    assert 'data-testid="plan-start"' in html
    assert 'data-testid="open-portal"' not in html  # no Stripe customer yet


def test_pracownik_cannot_open_billing(client_a, pracownik, fake_stripe):
    client_a.login_as(pracownik)
    assert client_a.get("/settings/billing/").status_code == 403
    assert client_a.post("/settings/billing/checkout/", {"plan": "start", "interval": "month"}).status_code == 403
    assert client_a.post("/settings/billing/portal/").status_code == 403
    assert not fake_stripe.requests


def test_anonymous_is_sent_to_sign_in_from_billing(client_a, fake_stripe):
    response = client_a.get("/settings/billing/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_a.post("/settings/billing/checkout/", {"plan": "start", "interval": "month"}).status_code == 302
    assert not fake_stripe.requests


def test_szef_of_another_company_cannot_use_this_companys_billing(client_a, outsider, fake_stripe):
    client_a.login_as(outsider)  # B's Szef's session does not exist in A's schema
    response = client_a.post("/settings/billing/checkout/", {"plan": "start", "interval": "month"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not fake_stripe.requests


def test_checkout_creates_a_customer_and_a_subscription_checkout_session(client_a, szef, company_a, fake_stripe):
    plan = Plan.objects.get(code="start")
    plan.stripe_price_yearly = "price_test_start_year"
    plan.save()
    response = client_a.login_as(szef).post("/settings/billing/checkout/", {"plan": "start", "interval": "year"})
    assert response.status_code == 303
    assert response["Location"].startswith(fake_stripe.url + "/checkout/cs_")
    customer = fake_stripe.calls("POST", "/v1/customers")[0]
    assert customer.params["email"] == "szef@alfa.test"
    assert customer.params["metadata"]["company_id"] == str(company_a.pk)
    assert customer.headers["idempotency-key"].endswith(f"customer-{company_a.pk}")
    session = fake_stripe.calls("POST", "/v1/checkout/sessions")[0].params
    assert session["mode"] == "subscription"
    assert session["client_reference_id"] == str(company_a.pk)
    vat = next(iter(fake_stripe.tax_rates))
    assert session["line_items"] == [{"price": "price_test_start_year", "quantity": "1", "tax_rates": [vat]}]
    assert session["subscription_data"]["metadata"] == {
        "company_id": str(company_a.pk),
        "plan": "start",
        "interval": "year",
    }
    assert session["success_url"].startswith("http://alfa.")
    assert "{CHECKOUT_SESSION_ID}" in session["success_url"]
    assert account_of(company_a).stripe_customer_id == customer_id_of(fake_stripe)


def customer_id_of(fake) -> str:
    return next(iter(fake.customers))


def test_checkout_without_a_stripe_price_describes_the_price_inline(client_a, szef, fake_stripe):
    client_a.login_as(szef).post("/settings/billing/checkout/", {"plan": "biznes", "interval": "month"})
    item = fake_stripe.calls("POST", "/v1/checkout/sessions")[0].params["line_items"][0]
    assert item["price_data"]["unit_amount"] == "9900"
    assert item["price_data"]["currency"] == "pln"
    assert item["price_data"]["recurring"] == {"interval": "month"}


def test_a_second_checkout_reuses_the_stripe_customer(client_a, szef, fake_stripe):
    client_a.login_as(szef)
    client_a.post("/settings/billing/checkout/", {"plan": "start", "interval": "month"})
    client_a.post("/settings/billing/checkout/", {"plan": "biznes", "interval": "month"})
    assert len(fake_stripe.calls("POST", "/v1/customers")) == 1
    assert len(fake_stripe.calls("POST", "/v1/checkout/sessions")) == 2


def test_checkout_with_an_unknown_plan_or_interval_shows_a_message_and_calls_nothing(client_a, szef, fake_stripe):
    client_a.login_as(szef)
    bad_plan = client_a.post("/settings/billing/checkout/", {"plan": "platinum", "interval": "month"}, follow=True)
    assert "Wybierz dostępny plan." in bad_plan.content.decode()
    bad_interval = client_a.post("/settings/billing/checkout/", {"plan": "start", "interval": "weekly"}, follow=True)
    assert bad_interval.status_code == 200
    assert "alert-danger" in bad_interval.content.decode()
    Plan.objects.filter(code="start").update(is_active=False)
    inactive = client_a.post("/settings/billing/checkout/", {"plan": "start", "interval": "month"}, follow=True)
    assert "Wybierz dostępny plan." in inactive.content.decode()
    assert not fake_stripe.requests


def test_checkout_is_refused_while_a_subscription_is_running(client_a, szef, company_a, fake_stripe):
    _linked_customer(company_a, fake_stripe)
    account = account_of(company_a)
    account.stripe_subscription_id = "sub_running"
    account.stripe_subscription_status = "active"
    account.save()
    response = client_a.login_as(szef).post("/settings/billing/checkout/", {"plan": "firma", "interval": "month"})
    assert response.status_code == 302
    assert not fake_stripe.calls("POST", "/v1/checkout/sessions")
    page = client_a.get("/settings/billing/").content.decode()
    assert "Firma ma już subskrypcję" in page
    assert 'data-testid="plan-start"' not in page


def test_portal_session_is_created_for_the_companys_customer(client_a, szef, company_a, fake_stripe):
    customer = _linked_customer(company_a, fake_stripe)
    response = client_a.login_as(szef).post("/settings/billing/portal/")
    assert response.status_code == 303
    assert response["Location"].startswith(fake_stripe.url + "/portal/bps_")
    call = fake_stripe.calls("POST", "/v1/billing_portal/sessions")[0]
    assert call.params["customer"] == customer
    assert call.params["return_url"].endswith("/settings/billing/")


def test_portal_without_a_customer_asks_to_choose_a_plan_first(client_a, szef, fake_stripe):
    response = client_a.login_as(szef).post("/settings/billing/portal/", follow=True)
    assert "Najpierw wybierz plan" in response.content.decode()
    assert not fake_stripe.requests


def test_billing_page_lists_the_companys_invoices(client_a, szef, company_a, company_b, fake_stripe):
    customer = _linked_customer(company_a, fake_stripe)
    fake_stripe.invoice_add(customer=customer, subscription="sub_1", total=9900)
    fake_stripe.invoice_add(customer="cus_of_someone_else", subscription="sub_2", total=123456)
    html = client_a.login_as(szef).get("/settings/billing/").content.decode()
    assert 'data-testid="invoices"' in html
    assert "99.00 PLN" in html or "99,00 PLN" in html
    assert "1234" not in html
    assert fake_stripe.calls("GET", "/v1/invoices")[0].params["customer"] == customer


def test_billing_page_still_opens_when_stripe_is_down(client_a, szef, company_a, fake_stripe, settings):
    _linked_customer(company_a, fake_stripe)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    response = client_a.login_as(szef).get("/settings/billing/")
    assert response.status_code == 200
    assert "Nie udało się połączyć z operatorem płatności" in response.content.decode()


def test_coming_back_from_checkout_activates_the_company_at_once(client_a, szef, company_a, fake_stripe):
    client_a.login_as(szef)
    company_set(company_a, status=CompanyStatus.READ_ONLY)
    location = client_a.post("/settings/billing/checkout/", {"plan": "start", "interval": "month"})["Location"]
    session = fake_stripe.checkout_complete(location.rsplit("/", 1)[1])
    response = client_a.get(f"/settings/billing/?checkout=success&session_id={session['id']}", follow=True)
    assert "Subskrypcja jest aktywna" in response.content.decode()
    company_a.refresh_from_db()
    assert company_a.status == CompanyStatus.ACTIVE
    assert company_a.plan_id == Plan.objects.get(code="start").pk


def test_coming_back_with_another_companys_session_changes_nothing(
    client_a, client_b, szef, outsider, company_a, fake_stripe
):
    location = client_b.login_as(outsider).post("/settings/billing/checkout/", {"plan": "start", "interval": "month"})
    session = fake_stripe.checkout_complete(location["Location"].rsplit("/", 1)[1])
    response = client_a.login_as(szef).get(
        f"/settings/billing/?checkout=success&session_id={session['id']}", follow=True
    )
    assert "Płatność jest przetwarzana" in response.content.decode()
    company_a.refresh_from_db()
    assert company_a.status == CompanyStatus.TRIAL


def test_pricing_page_in_english(public_client):
    public_client.cookies["django_language"] = "en"
    html = public_client.get("/pricing/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "net / month" in html
    assert "plus 23% VAT" in html
    assert "up to 10 users" in html
