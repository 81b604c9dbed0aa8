"""Confirming the owner's e-mail address: the links of the welcome e-mail, on the public
host (tenants/owner_email.py, public_site/owner_email.py)."""

from __future__ import annotations

import html
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django_tenants.utils import schema_context
from freezegun import freeze_time

from crm.accounts.models import User
from tenants.models import Company
from tenants.owner_email import Purpose, owner_email_token
from tenants.routing import tenant_lookup_invalidate
from tenants.selectors import companies_for_email
from tenants.tasks import company_welcome_email_send, owner_email_confirmation_send
from tests.support.owner_email import OWNER_EMAIL, owner_email_links, unconfirmed_company_create, welcome_links


@pytest.fixture
def fresh(companies, db):
    tenant_lookup_invalidate()
    company = unconfirmed_company_create()
    yield company
    tenant_lookup_invalidate()


def _answer(response) -> str:
    return html.unescape(response.content.decode())


def _outcome(response) -> str:
    body = response.content.decode()
    return body.split('data-outcome="', 1)[1].split('"', 1)[0]


def _confirmed_at(company: Company):
    company.refresh_from_db()
    return company.owner_email_confirmed_at


def test_welcome_email_carries_a_confirmation_and_a_not_me_link_on_the_public_host(fresh):
    company_welcome_email_send(fresh.pk)

    message = mail.outbox[-1]
    links = owner_email_links(message.body)
    assert set(links) == {"confirm", "not_me"}
    for url in links.values():
        parts = urlsplit(url)
        assert parts.scheme == settings.IMCRM_SCHEME
        assert parts.netloc == f"{settings.IMCRM_BASE_DOMAIN}:{settings.IMCRM_PUBLIC_PORT}"
    assert f"Potwierdź, że adres {OWNER_EMAIL} należy do Ciebie:" in message.body
    assert "To nie Ty zakładałeś(-aś) firmę „Nowa Firma Sp. z o.o.”?" in message.body


def test_opening_the_link_only_asks_and_the_button_confirms_the_address_once(fresh, public_client):
    path = welcome_links(fresh)["confirm"]

    page = public_client.get(path)
    assert page.status_code == 200
    assert f"Potwierdź, że adres {OWNER_EMAIL}, podany przy zakładaniu firmy „Nowa Firma Sp. z o.o.”" in _answer(page)
    assert _confirmed_at(fresh) is None  # a mail scanner opening the link confirms nothing

    done = public_client.post(path)
    assert _outcome(done) == "done"
    assert f"Dziękujemy! Adres {OWNER_EMAIL} jest potwierdzony." in _answer(done)
    first = _confirmed_at(fresh)
    assert first is not None

    again = public_client.post(path)
    assert _outcome(again) == "already"
    assert _confirmed_at(fresh) == first


def test_the_link_sent_again_confirms_too_and_no_links_are_sent_once_confirmed(fresh, public_client):
    owner_email_confirmation_send(fresh.pk)
    message = mail.outbox[-1]
    assert message.to == [OWNER_EMAIL]
    assert message.subject == "Potwierdź adres e-mail: Nowa Firma Sp. z o.o. w ImCRM"
    path = urlsplit(owner_email_links(message.body)["confirm"]).path
    assert _outcome(public_client.post(path)) == "done"

    sent = len(mail.outbox)
    owner_email_confirmation_send(fresh.pk)
    assert len(mail.outbox) == sent
    company_welcome_email_send(fresh.pk)
    assert owner_email_links(mail.outbox[-1].body) == {}


def test_a_forged_expired_or_other_purpose_link_is_refused_and_changes_nothing(fresh, public_client):
    token = owner_email_token(company_id=fresh.pk, email=OWNER_EMAIL, purpose=Purpose.CONFIRM)
    not_me_token = owner_email_token(company_id=fresh.pk, email=OWNER_EMAIL, purpose=Purpose.NOT_ME)
    other_company = owner_email_token(company_id=987654321, email=OWNER_EMAIL, purpose=Purpose.CONFIRM)
    for bad in (token[:-3] + "xyz", not_me_token, "nie-token", other_company):
        response = public_client.post(f"/email/potwierdz/{bad}/")
        assert response.status_code == 404
        assert _outcome(response) in ("invalid", "gone")
    with freeze_time(fresh.created_at + timedelta(days=31)):
        expired = public_client.post(f"/email/potwierdz/{token}/")
    assert expired.status_code == 404
    assert "Ten link jest nieprawidłowy albo wygasł." in _answer(expired)
    assert _confirmed_at(fresh) is None


def test_a_link_for_an_address_that_is_no_longer_the_owners_confirms_nothing(fresh, public_client):
    path = welcome_links(fresh)["confirm"]
    with schema_context(fresh.schema_name):
        User.objects.filter(email=OWNER_EMAIL).update(email="ktos-inny@nowa-firma.test")

    response = public_client.post(path)

    assert _outcome(response) == "stale"
    assert _confirmed_at(fresh) is None


def test_forgot_your_address_lists_a_company_only_once_its_owner_confirmed(fresh, public_client):
    assert companies_for_email(email=OWNER_EMAIL) == []

    public_client.post(welcome_links(fresh)["confirm"])

    assert [c.pk for c in companies_for_email(email=OWNER_EMAIL)] == [fresh.pk]


def test_confirmation_pages_speak_english(fresh, public_client):
    path = welcome_links(fresh)["confirm"]

    page = public_client.get(path, HTTP_ACCEPT_LANGUAGE="en")

    assert "Confirm that the address" in _answer(page)
