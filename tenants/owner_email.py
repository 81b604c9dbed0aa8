"""Confirming the owner's e-mail address (the Szef who signed the company up).

Anyone can type someone else's address into the signup form. The welcome e-mail
therefore carries two links: "confirm" (sets `Company.owner_email_confirmed_at`)
and "this was not me" (`billing_saas.not_me` schedules the company for deletion).
Until the address is confirmed a banner in the CRM asks for it (with "send
again"), "forgot your address?" leaves the company out and Stripe Checkout is
refused. Nothing of this runs during signup: the mail goes out after commit and
entering the CRM never waits for it.

The links point at the *public host*: the row lives in the public schema, the page
works whatever state the company is in (read-only, suspended), and the person who
says "not me" has no account on the company host. They are signed with
`django.core.signing` (a salt per purpose), name the company and the address,
and live 30 days; the timestamps on Company make them single use: once one of
them is set, neither link changes anything any more.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from tenants.db import connection
from tenants.models import Company, CompanyStatus
from tenants.queue import enqueue
from tenants.routing import tenant_lookup_invalidate
from tenants.urls_helpers import public_url

PUBLIC_URLCONF = "config.urls_public"
TOKEN_MAX_AGE = 30 * 24 * 3600  # seconds: a link from the welcome e-mail works for 30 days
RESEND_LIMIT = 3  # "send again" mails per company...
RESEND_WINDOW = 3600  # ...per hour


class Purpose(enum.StrEnum):
    CONFIRM = "confirm"
    NOT_ME = "not-me"


class Outcome(enum.StrEnum):
    DONE = "done"  # this click confirmed / reported
    ALREADY = "already"  # the same thing happened before (the link is used)
    CONFIRMED = "confirmed"  # the address was confirmed: "not me" no longer applies
    REPORTED = "reported"  # the company was reported as "not me": confirming no longer applies
    STALE = "stale"  # the address is no longer the owner's
    GONE = "gone"  # no such company (deleted)


@dataclass(frozen=True)
class Claim:
    company_id: int
    email: str


class OwnerEmailError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _salt(purpose: Purpose) -> str:
    return f"imcrm.tenants.owner-email.{purpose.value}"


def owner_email_token(*, company_id: int, email: str, purpose: Purpose) -> str:
    return signing.dumps({"c": company_id, "e": email.strip().lower()}, salt=_salt(purpose), compress=True)


def owner_email_token_read(*, token: str, purpose: Purpose) -> Claim | None:
    """The company and address a link names, or None (forged, expired, other purpose)."""
    try:
        data = signing.loads(token, salt=_salt(purpose), max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), int) or not isinstance(data.get("e"), str):
        return None
    return Claim(company_id=data["c"], email=data["e"])


def owner_email_links(*, company_id: int, email: str) -> dict[str, str]:
    """`confirm_url` and `not_me_url` for the e-mails, on the public host."""
    links = {}
    for key, purpose, name in (
        ("confirm_url", Purpose.CONFIRM, "public_site:owner_email_confirm"),
        ("not_me_url", Purpose.NOT_ME, "public_site:owner_email_not_me"),
    ):
        token = owner_email_token(company_id=company_id, email=email, purpose=purpose)
        links[key] = public_url(reverse(name, kwargs={"token": token}, urlconf=PUBLIC_URLCONF))
    return links


def company_owner_email(*, company: Company) -> str:
    """The address of the company's owner: its first active Szef ('' when none)."""
    with schema_context(company.schema_name):
        return str(get_user_model().objects.szefs().values_list("email", flat=True).first() or "")


def _is_active_szef(company: Company, email: str) -> bool:
    with schema_context(company.schema_name):
        return get_user_model().objects.szefs().filter(email__iexact=email).exists()


def claimed_company(claim: Claim, *, lock: bool = False) -> Company | None:
    """The company a link names, unless it is gone (or a pooled schema, or the public row)."""
    connection.set_schema_to_public()
    companies = Company.objects.select_for_update() if lock else Company.objects.all()
    return (
        companies.filter(pk=claim.company_id)
        .exclude(status=CompanyStatus.POOL)
        .exclude(schema_name="public")
        .exclude(subdomain__isnull=True)
        .first()
    )


def owner_email_confirm(*, claim: Claim) -> Outcome:
    """Mark the owner's address confirmed (once); see Outcome for the other answers."""
    with transaction.atomic():
        company = claimed_company(claim, lock=True)
        if company is None:
            return Outcome.GONE
        if company.owner_reported_not_me_at is not None:
            return Outcome.REPORTED
        if company.owner_email_confirmed_at is not None:
            return Outcome.ALREADY
        if not _is_active_szef(company, claim.email):
            return Outcome.STALE
        Company.objects.filter(pk=company.pk).update(owner_email_confirmed_at=timezone.now())
        # The host lookup cache hands out Company rows: every process must see the change.
        transaction.on_commit(tenant_lookup_invalidate)
    return Outcome.DONE


def owner_email_mark_confirmed(*, company: Company) -> None:
    """Count the owner's address as confirmed without a click (the demo company)."""
    connection.set_schema_to_public()
    with transaction.atomic():
        Company.objects.filter(pk=company.pk, owner_email_confirmed_at__isnull=True).update(
            owner_email_confirmed_at=timezone.now()
        )
        transaction.on_commit(tenant_lookup_invalidate)
    company.refresh_from_db(fields=["owner_email_confirmed_at"])


def _resend_allowed(company_id: int) -> bool:
    key = f"owner-email-resend:{company_id}:{int(time.time() // RESEND_WINDOW)}"
    if cache.add(key, 1, timeout=RESEND_WINDOW + 1):
        return True
    try:
        return cache.incr(key) <= RESEND_LIMIT
    except ValueError:  # the window ended between add and incr
        return True


def owner_email_resend(*, company: Company) -> str:
    """Mail the confirmation link to the owner again; returns the address.

    At most RESEND_LIMIT mails per company an hour (OwnerEmailError past that)."""
    # tenants.tasks renders its mails with this module's links (as services.py's
    # _welcome_queue, the task is looked up when queued).
    from tenants.tasks import owner_email_confirmation_send

    # Read afresh (the request's copy comes from the host cache); the public table is on
    # every company's search path, so the request's schema stays as it is.
    company = Company.objects.get(pk=company.pk)
    if company.owner_email_confirmed_at is not None:
        raise OwnerEmailError(_("Adres e-mail właściciela jest już potwierdzony."))
    email = company_owner_email(company=company)
    if not email:
        raise OwnerEmailError(_("Firma nie ma aktywnego Szefa, do którego można wysłać link."))
    if not _resend_allowed(company.pk):
        raise OwnerEmailError(
            _(
                "Link wysłaliśmy już kilka razy w ciągu ostatniej godziny. Sprawdź skrzynkę (także spam) i spróbuj później."
            )
        )
    enqueue(owner_email_confirmation_send, company.pk)
    return email
