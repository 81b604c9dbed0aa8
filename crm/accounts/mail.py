"""allauth's e-mails (password reset, e-mail change) in the product's own words.

allauth names the "site" after the request's Host header and builds its links
from it; a client chooses that header (and the port), so a forged one would put
an attacker's address into a password-reset link. Here every mail names the
company and its canonical address (`tenants.urls_helpers`), every absolute link
in the mail's context is re-rooted there, and the text is in the recipient's own
language (`User.language`), not in the language of whoever asked for the reset.
Templates: templates/account/email/.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.utils.translation import get_language

from crm.accounts.models import User
from tenants.selectors import company_active
from tenants.urls_helpers import company_active_url

BRAND = "ImCRM"


@dataclass(frozen=True)
class Site:
    """Stands in for allauth's `current_site` (name and domain) in its templates."""

    name: str
    domain: str


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def account_mail_brand() -> str:
    """The name a mail is signed with: the company's, or ImCRM's on the public host."""
    company = company_active()
    return _one_line(company.name) if company is not None and company.name else BRAND


def canonical_url(url: str) -> str:
    """`url` moved onto the active company's canonical scheme, host and port."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return company_active_url(url if url.startswith("/") else f"/{url}") if url else url
    root = urlsplit(company_active_url("/"))
    return urlunsplit((root.scheme, root.netloc, parts.path, parts.query, parts.fragment))


def account_mail_language(*, email: str, context: dict[str, Any]) -> str:
    """The recipient's language: the user named in the context, else the staff user with
    that address in the active schema, else the current language."""
    user = context.get("user")
    language = getattr(user, "language", "") if isinstance(user, User) else ""
    if not language and email:
        language = User.objects.filter(email__iexact=email).values_list("language", flat=True).first() or ""
    codes = dict(settings.LANGUAGES)
    return language if language in codes else (get_language() or settings.LANGUAGE_CODE)


def account_mail_context(*, email: str, context: dict[str, Any]) -> dict[str, Any]:
    """allauth's context with the product's names and canonical links."""
    url = company_active_url("/")
    brand = account_mail_brand()
    ctx = dict(context)
    for key, value in context.items():
        if key.endswith("_url") and isinstance(value, str) and value:
            ctx[key] = canonical_url(value)
    ctx.update(
        {
            "email": email,
            "company_name": brand,
            "company_url": url,
            "current_site": Site(name=brand, domain=urlsplit(url).netloc),
        }
    )
    return ctx
