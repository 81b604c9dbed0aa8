"""Writing to a customer from the CRM: the message is stored first, queued for the
worker once the transaction commits, and sent through the company's SMTP
(`crm.company.mail.company_email_send`); a failure is kept on the message (and in the
system log) for the card to show."""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.uploads import attachment_check
from crm.company.mail import company_email_send, recipients_clean, smtp_answer
from crm.company.mail_templates import mail_template_check, mail_template_render, person_fields
from crm.company.models import EmailTemplate, EmailTemplateKind
from crm.contacts.models import ContactPerson, Customer
from crm.emails.models import CustomerEmail, CustomerEmailAttachment, EmailStatus
from tenants.selectors import company_active

logger = logging.getLogger(__name__)

SUBJECT_MAX = 300
BODY_MAX = 50000
MAX_ATTACHMENTS = 10


def merge_context(*, customer: Customer, contact: ContactPerson | None, user: User | None) -> dict[str, dict[str, str]]:
    """The merge fields of a message to `customer`: plain strings only (the sandbox)."""
    company = company_active()
    return {
        "customer": {"name": customer.name, "email": customer.email or ""},
        "contact": {**person_fields(contact.name if contact else ""), "email": contact.email if contact else ""},
        "user": {"name": user.get_full_name() or user.email if user else "", "email": user.email if user else ""},
        "company": {"name": company.name if company is not None else ""},
    }


def template_fill(
    *, template: EmailTemplate, customer: Customer, contact: ContactPerson | None, user: User, language: str = "pl"
) -> tuple[str, str]:
    """(subject, body) of a custom template for this customer and contact."""
    context = merge_context(customer=customer, contact=contact, user=user)
    subject, body = template.text(language)
    return " ".join(mail_template_render(subject, context).split()), mail_template_render(body, context)


def email_send(
    *,
    actor: User,
    customer: Customer,
    to: str | Sequence[str],
    subject: str,
    body: str,
    cc: str | Sequence[str] = "",
    contact: ContactPerson | None = None,
    template: EmailTemplate | None = None,
    files: Sequence[UploadedFile] = (),
) -> CustomerEmail:
    """Store the message and queue it for sending; ValidationError (by field) when
    something is wrong, and then nothing is stored. `customer` must be one the actor
    may open (the caller's selector); `contact` must belong to it."""
    errors: dict[str, list[str]] = {}
    recipients: list[str] = []
    copies: list[str] = []
    try:
        recipients = recipients_clean(to)
    except ValidationError as exc:
        errors.setdefault("to", []).extend(exc.messages)
    if (cc if isinstance(cc, str) else "".join(cc)).strip():
        try:
            copies = recipients_clean(cc)
        except ValidationError as exc:
            errors.setdefault("cc", []).extend(exc.messages)
    subject = " ".join((subject or "").split())
    if not subject:
        errors.setdefault("subject", []).append(_("Podaj temat."))
    elif len(subject) > SUBJECT_MAX:
        errors.setdefault("subject", []).append(_("Temat może mieć najwyżej %(n)s znaków.") % {"n": SUBJECT_MAX})
    body = (body or "").strip()
    if not body:
        errors.setdefault("body", []).append(_("Wpisz treść wiadomości."))
    elif len(body) > BODY_MAX:
        errors.setdefault("body", []).append(_("Treść może mieć najwyżej %(n)s znaków.") % {"n": BODY_MAX})
    if contact is not None and contact.customer_id != customer.pk:
        errors.setdefault("contact", []).append(_("Ta osoba kontaktowa należy do innego klienta."))
    if template is not None and template.kind != EmailTemplateKind.CUSTOM:
        errors.setdefault("template", []).append(_("Wybierz szablon wiadomości."))
    if len(files) > MAX_ATTACHMENTS:
        errors.setdefault("attachments", []).append(_("Dołącz najwyżej %(n)s plików.") % {"n": MAX_ATTACHMENTS})
    checked: list[tuple[UploadedFile, str, str]] = []
    for upload in files[:MAX_ATTACHMENTS]:
        try:
            name, content_type = attachment_check(upload, field="attachments")
        except ValidationError as exc:
            errors.setdefault("attachments", []).extend(exc.messages)
        else:
            checked.append((upload, name, content_type))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        email = CustomerEmail.objects.create(
            customer=customer,
            contact=contact,
            sender=actor,
            template=template,
            to=", ".join(recipients),
            cc=", ".join(copies),
            subject=subject,
            body=body,
            status=EmailStatus.QUEUED,
        )
        for upload, name, content_type in checked:
            item = CustomerEmailAttachment(email=email, name=name, content_type=content_type, size=upload.size or 0)
            item.file.save(name, upload, save=False)
            item.save()
        activity_record(
            actor=actor,
            kind=ActivityKind.CREATE,
            code="email.sent",
            params={"subject": subject, "customer": customer.name},
            obj=customer,
        )
        transaction.on_commit(functools.partial(_queue, email.pk))
    return email


def _queue(email_id: int) -> None:
    from crm.emails.tasks import email_deliver_task
    from tenants.queue import QueueUnavailable, enqueue

    try:
        enqueue(email_deliver_task, email_id)
    except QueueUnavailable:
        CustomerEmail.objects.filter(pk=email_id, status=EmailStatus.QUEUED).update(
            status=EmailStatus.FAILED, error=_("Kolejka wysyłki jest niedostępna — spróbuj ponownie za chwilę.")
        )


def email_deliver(*, email_id: int) -> bool:
    """The worker's half: send a queued message; True when the server took it. A
    failure is stored on the message (the card shows it); the system log has it too."""
    email = CustomerEmail.objects.filter(pk=email_id, status=EmailStatus.QUEUED).select_related("sender").first()
    if email is None:
        return False
    attachments = []
    for item in email.attachments.all():
        with item.file.open("rb") as handle:
            attachments.append((item.name, handle.read(), item.content_type))
    reply_to = [email.sender.email] if email.sender is not None and email.sender.email else []
    try:
        company_email_send(
            subject=email.subject,
            body=email.body,
            to=email.to_list,
            cc=email.cc_list,
            reply_to=reply_to,
            attachments=attachments,
        )
    except Exception as exc:
        logger.warning("e-mail %s to a customer failed: %s", email_id, exc)
        CustomerEmail.objects.filter(pk=email.pk).update(status=EmailStatus.FAILED, error=smtp_answer(exc)[:2000])
        return False
    CustomerEmail.objects.filter(pk=email.pk).update(status=EmailStatus.SENT, sent_at=timezone.now(), error="")
    return True


def email_template_save(
    *,
    actor: User,
    template: EmailTemplate | None,
    kind: str,
    name: str,
    subject_pl: str,
    body_pl: str,
    subject_en: str = "",
    body_en: str = "",
) -> EmailTemplate:
    """Create or change a template; ValidationError (by field) names unknown merge
    fields, a missing text, or a second template of a product e-mail."""
    errors: dict[str, list[str]] = {}
    if kind not in EmailTemplateKind.values:
        errors["kind"] = [_("Wybierz rodzaj szablonu.")]
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = [_("Podaj nazwę szablonu.")]
    values = {
        "subject_pl": subject_pl or "",
        "body_pl": body_pl or "",
        "subject_en": subject_en or "",
        "body_en": body_en or "",
    }
    for field in ("subject_pl", "body_pl"):
        if not values[field].strip():
            errors.setdefault(field, []).append(_("To pole jest wymagane."))
    limits = {"subject_pl": 300, "subject_en": 300, "body_pl": 20000, "body_en": 20000}
    for field, value in values.items():
        if len(value) > limits[field]:
            errors.setdefault(field, []).append(_("Za długi tekst (najwyżej %(n)s znaków).") % {"n": limits[field]})
            continue
        if kind in EmailTemplateKind.values:
            try:
                mail_template_check(kind, value, field=field)
            except ValidationError as exc:
                errors.setdefault(field, []).extend(exc.message_dict[field])
    if kind in EmailTemplateKind.values and kind != EmailTemplateKind.CUSTOM:
        others = EmailTemplate.objects.filter(kind=kind)
        if template is not None:
            others = others.exclude(pk=template.pk)
        if others.exists():
            errors.setdefault("kind", []).append(_("Ten e-mail ma już swój szablon — zmień tamten."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        obj = template or EmailTemplate()
        obj.kind = kind
        obj.name = name[:120]
        obj.subject_pl = " ".join(values["subject_pl"].split())
        obj.body_pl = values["body_pl"]
        obj.subject_en = " ".join(values["subject_en"].split())
        obj.body_en = values["body_en"]
        obj.save()
        activity_record(
            actor=actor,
            kind=ActivityKind.SETTINGS,
            code="email_template.saved",
            params={"name": obj.name},
            obj=obj,
        )
    return obj


def email_template_delete(*, actor: User, template: EmailTemplate) -> None:
    with transaction.atomic():
        activity_record(
            actor=actor, kind=ActivityKind.SETTINGS, code="email_template.deleted", params={"name": template.name}
        )
        template.delete()
