"""A project's files shared with the customer and its discussion with the customer's
portal users (both shown on the staff project card and the portal project page)."""

from __future__ import annotations

import functools
import logging
import smtplib
import uuid
from datetime import timedelta
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.access import is_szef
from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.uploads import attachment_check
from crm.company.mail import company_email_send
from crm.contacts.models import ContactPerson, PortalPermission
from crm.notes.models import Attachment
from crm.notifications.models import NotificationKind
from crm.notifications.services import notify
from crm.portal.files import stored_file_delete_on_commit
from crm.portal.models import ProjectMessage, SharedProjectFile
from crm.projects.models import Project
from tenants.selectors import company_active
from tenants.urls_helpers import company_active_url

logger = logging.getLogger(__name__)

BODY_MAX = 5000
# A portal user may take back their own message for this long (staff: the author or Szef, any time).
CONTACT_DELETE_WINDOW = timedelta(minutes=15)


def project_files(project: Project) -> QuerySet[Attachment]:
    """Every file of the project (staff), with whether it is shared."""
    return Attachment.objects.filter(project=project).select_related("portal_share").order_by("-created_at", "-id")


def project_shared_files(project: Project) -> QuerySet[Attachment]:
    """Only the files staff shared with the customer (the portal)."""
    return Attachment.objects.filter(project=project, portal_share__isnull=False).order_by("-created_at", "-id")


def project_messages(project: Project) -> QuerySet[ProjectMessage]:
    return ProjectMessage.objects.filter(project=project).order_by("created_at", "id")


@transaction.atomic
def file_share_set(*, attachment: Attachment, shared: bool, actor: User) -> None:
    params = {"name": attachment.name}
    if shared:
        _share, created = SharedProjectFile.objects.get_or_create(attachment=attachment, defaults={"shared_by": actor})
        if created:
            activity_record(
                actor=actor, kind=ActivityKind.UPDATE, obj=attachment, code="portal.file_shared", params=params
            )
    elif SharedProjectFile.objects.filter(attachment=attachment).delete()[0]:
        activity_record(
            actor=actor, kind=ActivityKind.UPDATE, obj=attachment, code="portal.file_unshared", params=params
        )


def _body_check(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Wpisz treść wiadomości.")})
    if len(body) > BODY_MAX:
        raise ValidationError({"body": _("Wiadomość może mieć najwyżej %(n)s znaków.") % {"n": BODY_MAX}})
    return body


@transaction.atomic
def message_post(
    *,
    project: Project,
    body: str,
    author: User | None = None,
    contact: ContactPerson | None = None,
    upload: UploadedFile | None = None,
) -> ProjectMessage:
    """A message of staff (`author`) or of a portal user (`contact`); the project's owner
    and members are notified, and for a staff message the customer's portal users (with
    the projects permission) get an e-mail."""
    if (author is None) == (contact is None):
        raise ValueError("a message has exactly one author")
    message = ProjectMessage(
        project=project,
        body=_body_check(body),
        author=author,
        contact=contact,
        author_name=str(author if author is not None else contact.name)[:200],  # type: ignore[union-attr]
    )
    if upload is not None:
        name, _type = attachment_check(upload)
        message.file_name = name
        message.file.save(f"{uuid.uuid4().hex}{PurePosixPath(name).suffix.lower()}", upload, save=False)
    try:
        message.save()
    except Exception:
        if message.file:
            message.file.delete(save=False)
        raise
    activity_record(
        actor=author,
        kind=ActivityKind.CREATE,
        obj=project,
        code="portal.message_posted",
        user_label="" if contact is None else contact.email,
    )
    _staff_notify(message)
    if contact is None:
        # Sent by the worker once the message is saved: the request does not wait for SMTP.
        transaction.on_commit(functools.partial(_mail_queue, message.pk))
    return message


def _staff_notify(message: ProjectMessage) -> None:
    project = message.project
    url = reverse("projects:project_detail", args=[project.pk]) + "#portal-discussion"
    people = {p.pk: p for p in project.members.all()}
    if project.owner is not None:
        people[project.owner.pk] = project.owner
    title = f"{project.name} ({message.author_name})"
    for person in people.values():
        notify(recipient=person, kind=NotificationKind.PROJECT_MESSAGE, title=title, url=url, actor=message.author)


def customer_recipients(project: Project) -> list[ContactPerson]:
    contacts = ContactPerson.objects.filter(customer_id=project.customer_id, portal_enabled=True).exclude(email="")
    return [c for c in contacts.order_by("id") if PortalPermission.PROJECTS in c.portal_permissions]


def _mail_queue(message_pk: int) -> None:
    from crm.portal.tasks import project_message_email_send_task
    from tenants.queue import enqueue

    enqueue(project_message_email_send_task, message_pk)


def project_message_mail_send(*, message_id: int) -> int:
    """The worker's half: e-mail a staff message to the customer's portal users (those with
    the projects permission); the number of e-mails sent."""
    message = (
        ProjectMessage.objects.select_related("project")
        .filter(pk=message_id, contact__isnull=True, deleted_at__isnull=True)
        .first()
    )
    if message is None:
        return 0
    company = company_active()
    project = message.project
    context = {
        "company_name": company.name if company is not None else "",
        "project": project,
        "message": message,
        "link": company_active_url(reverse("portal:project_detail", args=[project.pk]) + "#discussion"),
    }
    subject = _("Nowa wiadomość w projekcie %(project)s") % {"project": project.name}
    body = render_to_string("portal/email/project_message.txt", context)
    sent = 0
    for contact in customer_recipients(project):
        try:
            sent += company_email_send(subject=subject, body=body, to=[contact.email])
        except (smtplib.SMTPException, OSError):
            logger.warning("portal project message mail to contact %s not sent", contact.pk, exc_info=True)
    return sent


def message_staff_may_delete(user: User, message: ProjectMessage) -> bool:
    """Staff delete their own messages; Szef deletes any, also the customer's."""
    if message.is_deleted:
        return False
    return is_szef(user) or (message.author_id is not None and message.author_id == user.pk)


def message_contact_may_delete(contact: ContactPerson, message: ProjectMessage) -> bool:
    """A portal user deletes their own message within CONTACT_DELETE_WINDOW of writing it."""
    if message.is_deleted or message.author_id is not None or message.contact_id != contact.pk:
        return False
    return timezone.now() - message.created_at <= CONTACT_DELETE_WINDOW


@transaction.atomic
def message_delete(
    *, message: ProjectMessage, actor: User | None = None, contact: ContactPerson | None = None
) -> ProjectMessage:
    """Staff (`actor`) or a portal user (`contact`) deletes a message: it stays in the thread
    as "Wiadomość usunięta", without its text and file (the file leaves the storage after
    the commit); the activity log says who deleted a message, not what it said."""
    if (actor is None) == (contact is None):
        raise ValueError("a message is deleted by exactly one person")
    message = ProjectMessage.objects.select_for_update().select_related("project").get(pk=message.pk)
    allowed = (
        message_staff_may_delete(actor, message) if actor is not None else message_contact_may_delete(contact, message)  # type: ignore[arg-type]
    )
    if not allowed:
        if message.is_deleted:
            raise ValidationError(_("Ta wiadomość została już usunięta."))
        if actor is not None:
            raise PermissionDenied(_("Wiadomość może usunąć jej autor albo Szef; wiadomość klienta tylko Szef."))
        raise PermissionDenied(_("Swoją wiadomość możesz usunąć tylko przez 15 minut od jej wysłania."))
    _message_clear(message, body="")
    message.deleted_at = timezone.now()
    message.save(update_fields=["body", "file", "file_name", "deleted_at"])
    activity_record(
        actor=actor,
        kind=ActivityKind.DELETE,
        obj=message.project,
        code="portal.message_deleted",
        user_label="" if contact is None else contact.email,
    )
    return message


def _message_clear(message: ProjectMessage, *, body: str) -> None:
    """The text becomes `body`, the file goes (from the storage once the transaction commits)."""
    stored_file_delete_on_commit(message.file)
    message.body = body
    message.file = ""
    message.file_name = ""
