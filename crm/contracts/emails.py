"""E-mails about contracts: the contract to the customer (through the company's SMTP,
with the link to its public page where the customer signs) and the owner's reminder
before the contract's end (in the owner's language, with the link to its card)."""

from __future__ import annotations

from collections.abc import Sequence

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.company.mail import company_email_send
from crm.contracts.models import Contract
from tenants.selectors import company_active
from tenants.urls_helpers import company_active_url


def contract_public_url(contract: Contract) -> str:
    """The customer's page of the contract, on the company's canonical host."""
    return company_active_url(reverse("contracts_public:page", args=[contract.public_token]))


def _company_name() -> str:
    company = company_active()
    return company.name if company is not None else ""


def contract_email_send(*, contract: Contract, to: Sequence[str], message: str = "", sender: User | None = None) -> int:
    """Send the contract's link to `to`; raises what the mail connection raises."""
    company = _company_name()
    context = {
        "contract": contract,
        "company": company,
        "link": contract_public_url(contract),
        "message": (message or "").strip(),
        "sender": sender,
    }
    subject = _("Umowa „%(subject)s” od „%(company)s” do podpisu") % {"subject": contract.subject, "company": company}
    body = render_to_string("contracts/email/contract.txt", context)
    reply_to = [sender.email] if sender is not None and sender.email else []
    return company_email_send(subject=subject, body=body, to=list(to), reply_to=reply_to)


def contract_owner(contract: Contract) -> User | None:
    for person in (contract.owner, contract.created_by):
        if person is not None and person.is_active and person.email:
            return person
    return None


def contract_reminder_send(*, contract: Contract, person: User) -> int:
    """Tell `person` that `contract` ends soon; raises what the mail connection raises."""
    link = company_active_url(reverse("contracts:contract_detail", args=[contract.pk]))
    with translation.override(person.language or "pl"), timezone.override(timezone.get_default_timezone()):
        context = {"contract": contract, "link": link, "customer": contract.customer}
        subject = _("Umowa „%(subject)s” kończy się %(date)s") % {
            "subject": contract.subject,
            "date": contract.end_date.isoformat() if contract.end_date else "",
        }
        body = render_to_string("contracts/email/reminder.txt", context)
    return company_email_send(subject=subject, body=body, to=[person.email])
