"""Every kind of e-mail the product sends links to the company's canonical address
(scheme, host and port from settings), never to the Host header, port or scheme of the
request that caused it: a forged Host must not turn a password-reset link into a link
to the attacker's server."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from billing_saas.reminders import trial_reminder_send
from crm.tasks.services import task_reminders_send
from public_site import signin
from tenants import owner_email
from tenants.models import Company
from tenants.tasks import company_welcome_email_send
from tenants.urls_helpers import company_url, public_url
from tests.crm.sales.helpers import task_make
from tests.public_site.helpers import signup_data

FORGED_PORT = "6666"
# What a client may send: the right host name with another port, over https.
FORGED = {"HTTP_HOST": f"alfa.{settings.IMCRM_BASE_DOMAIN}:{FORGED_PORT}", "secure": True}
PUBLIC_FORGED = {"HTTP_HOST": f"{settings.IMCRM_BASE_DOMAIN}:{FORGED_PORT}", "secure": True}
_URL = re.compile(r"https?://[^\s<>\"']+")


def _inline(monkeypatch: pytest.MonkeyPatch, module: Any) -> None:
    monkeypatch.setattr(module, "enqueue", lambda task, *args, **kwargs: task(*args))


def invitation(request: pytest.FixtureRequest) -> str:
    client = request.getfixturevalue("client_a").login_as(request.getfixturevalue("szef"))
    client.post("/settings/users/", {"email": "nowy@alfa.test", "role": "kierownik", "name": "Nowy"}, **FORGED)
    return "alfa"


def password_reset(request: pytest.FixtureRequest) -> str:
    request.getfixturevalue("client_a").post("/accounts/password/reset/", {"email": "pracownik@alfa.test"}, **FORGED)
    return "alfa"


def email_change(request: pytest.FixtureRequest) -> str:
    client = request.getfixturevalue("client_a").login_as(request.getfixturevalue("pracownik"))
    client.post("/accounts/email/", {"email": "piotr.nowy@alfa.test", "action_add": ""}, **FORGED)
    return "alfa"


def owner_email_again(request: pytest.FixtureRequest) -> str:
    from tests.billing_saas.conftest import company_set

    _inline(request.getfixturevalue("monkeypatch"), owner_email)
    company_set(request.getfixturevalue("company_a"), owner_email_confirmed_at=None)
    client = request.getfixturevalue("client_a").login_as(request.getfixturevalue("szef"))
    client.post("/settings/billing/confirm-email/", **FORGED)
    return "alfa"


def welcome(request: pytest.FixtureRequest) -> str:
    data = signup_data()
    request.getfixturevalue("public_client").post("/signup/", data, **PUBLIC_FORGED)
    company_welcome_email_send(Company.objects.get(subdomain=data["subdomain"]).pk)
    return data["subdomain"]


def address_reminder(request: pytest.FixtureRequest) -> str:
    _inline(request.getfixturevalue("monkeypatch"), signin)
    request.getfixturevalue("public_client").post(
        "/zaloguj/przypomnij-adres/", {"email": "szef@alfa.test"}, **PUBLIC_FORGED
    )
    return "alfa"


def task_reminder(request: pytest.FixtureRequest) -> str:
    """Sent by beat, not by a request: its link must still be the canonical one."""
    company = request.getfixturevalue("company_a")
    szef = request.getfixturevalue("szef")
    with schema_context(company.schema_name):
        task_make(title="Telefon", assignee=szef, due_at=timezone.now() + timedelta(minutes=20))
        task_reminders_send()
    return "alfa"


def trial_reminder(request: pytest.FixtureRequest) -> str:
    company = request.getfixturevalue("company_a")
    Company.objects.filter(pk=company.pk).update(trial_ends_at=timezone.now() + timedelta(days=2))
    company.refresh_from_db()
    trial_reminder_send(company, "3d")
    return "alfa"


SENDERS: dict[str, Callable[[pytest.FixtureRequest], str]] = {
    f.__name__: f
    for f in (
        invitation,
        password_reset,
        email_change,
        owner_email_again,
        welcome,
        address_reminder,
        task_reminder,
        trial_reminder,
    )
}


@pytest.mark.parametrize("kind", SENDERS)
def test_links_in_every_kind_of_mail_use_the_canonical_address_whatever_host_the_request_named(kind, request):
    mail.outbox = []

    subdomain = SENDERS[kind](request)

    assert mail.outbox, f"{kind}: no e-mail was sent"
    allowed = {urlsplit(company_url(subdomain)).netloc, urlsplit(public_url()).netloc}
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        links = _URL.findall(text)
        assert links, f"{kind}: the e-mail has no link"
        for link in links:
            parts = urlsplit(link)
            assert parts.scheme == settings.IMCRM_SCHEME, f"{kind}: {link}"
            assert parts.netloc in allowed, f"{kind}: {link}"
        assert f":{FORGED_PORT}" not in text, kind
