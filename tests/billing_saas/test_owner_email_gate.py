"""Until the owner's address is confirmed: a banner asks Szef for it (with a rate-limited
"send again"), and Stripe Checkout is refused. Entering the CRM never waits for it."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

import pytest
from django.core import mail

from tenants import owner_email
from tenants.models import Company, CompanyStatus
from tenants.owner_email import RESEND_LIMIT
from tests.billing_saas.conftest import company_set
from tests.conftest import TenantClient
from tests.public_site.helpers import signup_data
from tests.support.owner_email import owner_email_links

BANNER = 'data-testid="owner-email-banner"'


@pytest.fixture
def unconfirmed(company_a):
    return company_set(company_a, owner_email_confirmed_at=None)


@pytest.fixture
def inline_mail(monkeypatch):
    """ "Send again" queues a Celery task; here it runs at once."""
    monkeypatch.setattr(owner_email, "enqueue", lambda task, *args, **kwargs: task(*args))


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_checkout_is_refused_with_a_message_until_the_owner_email_is_confirmed(
    client_a, szef, unconfirmed, fake_stripe
):
    client_a.login_as(szef)
    page = client_a.get("/settings/billing/")
    assert 'data-testid="billing-owner-email-unconfirmed"' in page.content.decode()

    refused = client_a.post("/settings/billing/checkout/", {"plan": "start", "interval": "month"}, follow=True)

    assert "Zanim opłacisz subskrypcję, potwierdź adres e-mail właściciela firmy" in _text(refused)
    assert not fake_stripe.requests
    english = client_a.post(
        "/settings/billing/checkout/", {"plan": "start", "interval": "month"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "confirm the company owner's e-mail address" in _text(english)
    assert not fake_stripe.requests

    company_set(unconfirmed, owner_email_confirmed_at=unconfirmed.created_at)
    paid = client_a.post("/settings/billing/checkout/", {"plan": "start", "interval": "month"})
    assert paid.status_code == 303


def test_banner_asks_szef_to_confirm_and_is_gone_once_the_link_is_used(
    client_a, szef, pracownik, unconfirmed, public_client, django_capture_on_commit_callbacks
):
    assert BANNER in client_a.login_as(szef).get("/").content.decode()
    assert BANNER not in TenantClient(unconfirmed).login_as(pracownik).get("/").content.decode()

    from tenants.tasks import owner_email_confirmation_send

    owner_email_confirmation_send(unconfirmed.pk)
    confirm = urlsplit(owner_email_links(mail.outbox[-1].body)["confirm"]).path
    with django_capture_on_commit_callbacks(execute=True):
        public_client.post(confirm)

    assert BANNER not in client_a.get("/").content.decode()
    assert BANNER not in client_a.get("/customers/").content.decode()


def test_send_again_mails_the_owner_and_stops_after_a_few_an_hour(client_a, szef, unconfirmed, inline_mail):
    client_a.login_as(szef)

    first = client_a.post("/settings/billing/confirm-email/", {"next": "/customers/"})

    assert first.status_code == 302 and first["Location"] == "/customers/"
    assert [m.to for m in mail.outbox] == [["szef@alfa.test"]]
    assert set(owner_email_links(mail.outbox[0].body)) == {"confirm", "not_me"}
    assert "Wysłaliśmy link potwierdzający na adres szef@alfa.test." in _text(client_a.get("/customers/"))
    for _ in range(RESEND_LIMIT - 1):
        client_a.post("/settings/billing/confirm-email/")
    assert len(mail.outbox) == RESEND_LIMIT

    limited = client_a.post("/settings/billing/confirm-email/", follow=True)

    assert "Link wysłaliśmy już kilka razy w ciągu ostatniej godziny." in _text(limited)
    assert len(mail.outbox) == RESEND_LIMIT


def test_send_again_is_for_szef_only(client_a, pracownik, unconfirmed, inline_mail):
    anonymous = client_a.post("/settings/billing/confirm-email/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert client_a.login_as(pracownik).post("/settings/billing/confirm-email/").status_code == 403
    assert client_a.get("/settings/billing/confirm-email/").status_code == 405
    assert mail.outbox == []


def test_send_again_never_redirects_off_the_company_host(client_a, szef, unconfirmed, inline_mail):
    client_a.login_as(szef)
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = client_a.post("/settings/billing/confirm-email/", {"next": target})
        assert response["Location"] == "/settings/billing/"


def test_a_confirmed_company_is_told_so_and_gets_no_mail(client_a, szef, company_a, inline_mail):
    response = client_a.login_as(szef).post("/settings/billing/confirm-email/", follow=True)

    assert "Adres e-mail właściciela jest już potwierdzony." in _text(response)
    assert mail.outbox == []


def test_a_read_only_company_can_still_ask_for_the_link_it_needs_before_paying(
    client_a, szef, unconfirmed, inline_mail
):
    company_set(unconfirmed, status=CompanyStatus.READ_ONLY)

    response = client_a.login_as(szef).post("/settings/billing/confirm-email/")

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["szef@alfa.test"]]


def test_signup_still_lands_signed_in_and_the_banner_asks_to_confirm(public_client):
    data = signup_data()
    response = public_client.post("/signup/", data)
    assert response.status_code == 302
    company = Company.objects.get(subdomain=data["subdomain"])
    assert company.owner_email_confirmed_at is None

    client = TenantClient(company)
    landed = client.get(urlsplit(response["Location"]).path)
    assert landed.status_code == 302 and landed["Location"] == "/"
    home = client.get("/")

    assert home.status_code == 200
    assert BANNER in home.content.decode()
