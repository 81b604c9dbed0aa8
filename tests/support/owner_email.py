"""A freshly signed-up company whose owner has not confirmed the address yet, and the
links of its e-mails (tenants/owner_email.py)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core import mail

from tenants.models import Company
from tenants.services import tenant_provision
from tenants.tasks import company_welcome_email_send
from tests.public_site.helpers import GOOD_PASSWORD, unique_subdomain

OWNER_EMAIL = "wlasciciel@nowa-firma.test"
_LINK = re.compile(r"https?://[^\s/]+/email/(potwierdz|to-nie-ja)/[^\s/]+/")


def unconfirmed_company_create(*, name: str = "Nowa Firma Sp. z o.o.", language: str = "pl") -> Company:
    return tenant_provision(
        name=name,
        subdomain=unique_subdomain("nowa"),
        email=OWNER_EMAIL,
        password=GOOD_PASSWORD,
        owner_name="Wiesław Właściciel",
        language=language,
        check_password=False,
    ).company


def owner_email_links(body: str) -> dict[str, str]:
    """{"confirm": url, "not_me": url} found in a mail body."""
    found = {}
    for match in _LINK.finditer(body):
        found["confirm" if match.group(1) == "potwierdz" else "not_me"] = match.group(0)
    return found


def welcome_links(company: Company) -> dict[str, str]:
    """Send the welcome e-mail now and return the paths of its two links."""
    company_welcome_email_send(company.pk)
    links = owner_email_links(mail.outbox[-1].body)
    return {kind: urlsplit(url).path for kind, url in links.items()}
