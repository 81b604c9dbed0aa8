"""E-mails about offers: the offer to the customer (through the company's SMTP, in the
offer's language, with the link to its public page) and the owner's notices when the
customer opens, accepts or declines it (in the owner's language, with the link to the
offer's card). Notices never fail the customer's answer: a problem is logged."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.company.mail import company_email_send
from crm.company.mail_templates import mail_text, merge_base
from crm.company.models import EmailTemplateKind
from crm.notifications.models import NotificationKind
from crm.notifications.services import email_wanted, notify
from crm.offers.models import Offer
from crm.offers.pdf import offer_pdf, offer_pdf_name
from crm.sales.templatetags.sales_tags import money
from tenants.selectors import company_active
from tenants.urls_helpers import company_active_url

logger = logging.getLogger(__name__)

NOTICES = ("viewed", "accepted", "declined")


def offer_public_url(offer: Offer) -> str:
    """The customer's page of the offer, on the company's canonical host."""
    return company_active_url(reverse("offers_public:page", args=[offer.public_token]))


def _company_name() -> str:
    company = company_active()
    return company.name if company is not None else ""


def offer_email_send(*, offer: Offer, to: Sequence[str], message: str = "", sender: User | None = None) -> int:
    """Send the offer to `to`; raises what the mail connection raises (the caller says so)."""
    company = _company_name()
    with translation.override(offer.language or "pl"):
        context = {
            "offer": offer,
            "company": company,
            "link": offer_public_url(offer),
            "message": (message or "").strip(),
            "sender": sender,
        }
        merge = merge_base(customer=offer.customer, user=sender, company=company)
        merge["offer"] = {
            "number": offer.number,
            "link": offer_public_url(offer),
            "total": money(offer.gross_total, offer.currency),
            "valid_until": formats.date_format(offer.valid_until, "SHORT_DATE_FORMAT") if offer.valid_until else "",
        }
        merge["message"] = {"text": (message or "").strip()}
        subject, body = mail_text(
            kind=EmailTemplateKind.OFFER,
            language=offer.language or "pl",
            context=merge,
            default=lambda: (
                _("Oferta %(number)s od „%(company)s”") % {"number": offer.number, "company": company},
                render_to_string("offers/email/offer.txt", context),
            ),
        )
    reply_to = [sender.email] if sender is not None and sender.email else []
    attachment = (offer_pdf_name(offer), offer_pdf(offer), "application/pdf")
    return company_email_send(subject=subject, body=body, to=list(to), reply_to=reply_to, attachments=[attachment])


def _owner(offer: Offer) -> User | None:
    for person in (offer.owner, offer.created_by):
        if person is not None and person.is_active and person.email:
            return person
    return None


ANSWER_KINDS = {"accepted": NotificationKind.OFFER_ACCEPTED, "declined": NotificationKind.OFFER_DECLINED}


def owner_notify(*, offer: Offer, event: str) -> bool:
    """Tell the offer's owner (else its author) that the customer `event`-ed it
    ("viewed", "accepted", "declined"); False when nobody could be told."""
    if event not in NOTICES:
        raise ValueError(event)
    person = _owner(offer)
    if person is None:
        return False
    path = reverse("offers:offer_detail", args=[offer.pk])
    kind = ANSWER_KINDS.get(event)
    if kind is not None:  # the bell too; the e-mail only if the owner wants it
        notify(recipient=person, kind=kind, title=offer.number, url=path, email=False)
        if not email_wanted(person, kind):
            return False
    link = company_active_url(path)
    try:
        with translation.override(person.language or "pl"), timezone.override(timezone.get_default_timezone()):
            context = {"offer": offer, "event": event, "link": link, "customer": offer.customer}
            subjects = {
                "viewed": _("Klient otworzył ofertę %(number)s"),
                "accepted": _("Oferta %(number)s zaakceptowana"),
                "declined": _("Oferta %(number)s odrzucona"),
            }
            subject = subjects[event] % {"number": offer.number}
            body = render_to_string("offers/email/owner_notice.txt", context)
        return company_email_send(subject=subject, body=body, to=[person.email]) > 0
    except Exception:  # the customer's answer is saved; a notice that fails is only logged
        logger.exception("offer %s: the %s notice to the owner failed", offer.pk, event)
        return False
