"""Writes of portal accounts: the invitation, passwords, access from the command line."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from crm.company.mail import company_email_send
from crm.contacts.models import ContactPerson, Customer
from crm.contacts.services import contact_update
from crm.portal.auth import unusable_password
from crm.portal.files import stored_file_delete_on_commit
from crm.portal.models import PortalAccount, ProjectMessage
from crm.portal.tokens import portal_tokens
from crm.privacy.anonymise import REDACTED, REDACTED_MESSAGE
from crm.tickets.models import TicketReply
from tenants.selectors import company_active
from tenants.urls_helpers import company_active_url

logger = logging.getLogger(__name__)


def portal_account_for(contact: ContactPerson) -> PortalAccount:
    account, _created = PortalAccount.objects.get_or_create(contact=contact, defaults={"password": unusable_password()})
    return account


def portal_password_link(account: PortalAccount) -> str:
    # The generator reads only pk, password, last_login and email, which a PortalAccount has.
    token = portal_tokens.make_token(account)  # type: ignore[arg-type]
    path = reverse("portal:password_set", args=[account.pk, token])
    return company_active_url(path)


def _mail(account: PortalAccount, *, template: str, subject: str) -> bool:
    company = company_active()
    context = {
        "contact": account.contact,
        "company_name": company.name if company is not None else "",
        "link": portal_password_link(account),
        "login_url": company_active_url(reverse("portal:login")),
    }
    try:
        company_email_send(subject=subject, body=render_to_string(template, context), to=[account.contact.email])
    except (smtplib.SMTPException, OSError):
        logger.warning("portal mail to contact %s not sent", account.contact_id, exc_info=True)
        return False
    return True


def portal_invitation_send(*, account: PortalAccount) -> bool:
    company = company_active()
    subject = _("Zaproszenie do portalu klienta %(company)s") % {"company": company.name if company else ""}
    return _mail(account, template="portal/email/invitation.txt", subject=subject)


def portal_invitation_send_for(contact_id: int) -> None:
    """Staff switched the portal on for a contact: the invitation to set a password (none
    when the account already has one, e.g. set from the command line)."""
    contact = ContactPerson.objects.select_related("customer").filter(pk=contact_id, portal_enabled=True).first()
    if contact is None or not contact.email:
        return
    account = portal_account_for(contact)
    if not account.has_password:
        portal_invitation_send(account=account)


def portal_password_reset_send(*, email: str) -> None:
    """The reset link for the portal account with that e-mail, if there is one (the page
    says the same either way)."""
    account = (
        PortalAccount.objects.select_related("contact")
        .filter(contact__email__iexact=(email or "").strip(), contact__portal_enabled=True)
        .first()
    )
    if account is None:
        return
    _mail(account, template="portal/email/password_reset.txt", subject=_("Ustaw nowe hasło do portalu klienta"))


def portal_account_by_token(*, pk: int, token: str) -> PortalAccount | None:
    account = PortalAccount.objects.select_related("contact").filter(pk=pk, contact__portal_enabled=True).first()
    if account is None or not portal_tokens.check_token(account, token):  # type: ignore[arg-type]
        return None
    return account


def portal_password_set(*, account: PortalAccount, password: str) -> PortalAccount:
    """Set a new password (the rules of staff passwords); other sessions end."""
    try:
        validate_password(password)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    account.password_set(password)
    account.save(update_fields=["password"])
    return account


def portal_password_change(*, account: PortalAccount, old: str, new: str) -> PortalAccount:
    if not account.password_check(old):
        raise ValidationError({"old_password": _("Obecne hasło jest nieprawidłowe.")})
    return portal_password_set(account=account, password=new)


@transaction.atomic
def portal_access_grant(
    *, email: str, password: str, permissions: Sequence[str] | str, contact: ContactPerson | None = None
) -> PortalAccount:
    """The contact person with that e-mail (one, in the active company) gets the portal with
    these permissions and this password: `manage.py portal_access`, the demo, tests."""
    if contact is None:
        found = list(ContactPerson.objects.filter(email__iexact=(email or "").strip())[:2])
        if not found:
            raise ValidationError({"email": _("Nie ma osoby kontaktowej z tym adresem e-mail.")})
        if len(found) > 1:
            raise ValidationError({"email": _("Kilka osób kontaktowych ma ten adres e-mail.")})
        contact = found[0]
    account = portal_account_for(contact)
    portal_password_set(account=account, password=password)
    contact_update(
        contact=contact,
        actor=None,
        data={"portal_enabled": True, "portal_permissions": permissions},
    )
    return account


def portal_personal_data(*, account: PortalAccount) -> dict[str, object]:
    """What the company keeps about the signed-in contact person as such (RODO): their
    contact record, portal account and the messages they wrote in tickets."""
    contact = account.contact
    messages = TicketReply.objects.filter(contact=contact).select_related("ticket").order_by("created_at", "id")
    return {
        "contact": {
            "name": contact.name,
            "position": contact.position,
            "email": contact.email,
            "phone": contact.phone,
            "created_at": contact.created_at,
            "portal_permissions": list(contact.portal_permissions),
        },
        "customer": {"name": contact.customer.name},
        "portal_account": {"created_at": account.created_at, "last_login": account.last_login},
        "ticket_messages": [
            {"ticket": str(reply.ticket), "body": reply.body, "created_at": reply.created_at} for reply in messages
        ],
        "project_messages": [
            {
                "project": message.project.name,
                "body": message.body,
                "file": message.file_name,
                "created_at": message.created_at,
            }
            for message in ProjectMessage.objects.filter(contact=contact, deleted_at__isnull=True)
            .select_related("project")
            .order_by("id")
        ],
        "two_factor_enabled": account.twofa_on,
    }


def _messages_redact(messages: QuerySet[ProjectMessage]) -> None:
    """The text of these messages becomes the anonymisation notice, their files go (from the
    storage once the transaction commits); a customer's author name goes with it."""
    for message in messages.exclude(file=""):
        stored_file_delete_on_commit(message.file)
    messages.update(body=REDACTED_MESSAGE, file="", file_name="")
    messages.filter(author__isnull=True).update(author_name=REDACTED)


def portal_contact_forget(contact: ContactPerson) -> None:
    """A contact person is anonymised (crm.privacy): what they wrote in project discussions
    goes (text and files), and so does their portal account."""
    _messages_redact(ProjectMessage.objects.filter(contact=contact))
    PortalAccount.objects.filter(contact=contact).delete()


def portal_customer_forget(customer: Customer) -> None:
    """A customer (a natural person) is anonymised (crm.privacy): as with its tickets, the
    whole discussion of its projects goes (text and files), and so does whatever its
    contact persons wrote anywhere else."""
    _messages_redact(ProjectMessage.objects.filter(Q(project__customer=customer) | Q(contact__customer=customer)))
