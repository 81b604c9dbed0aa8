"""Writes of the ticket settings: departments (name, address, members), predefined
replies (the company's, kept by Szef, and each person's own) and the inbound secret."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from crm.accounts.access import is_szef
from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.tickets.models import Department, PredefinedReply, TicketSettings, inbound_secret


def _department_check(*, name: str, email: str, exclude_pk: int | None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Podaj nazwę.")})
    clash = Department.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": _("Dział o tej nazwie już jest.")})
    email = (email or "").strip()
    if email:
        taken = Department.objects.filter(email__iexact=email)
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            raise ValidationError({"email": _("Ten adres ma już inny dział.")})
    return name


def department_save(
    *,
    actor: User,
    department: Department | None,
    name: str,
    email: str = "",
    members: Iterable[User] = (),
) -> Department:
    if not is_szef(actor):
        raise PermissionDenied
    name = _department_check(name=name, email=email, exclude_pk=department.pk if department else None)
    try:
        with transaction.atomic():
            created = department is None
            department = department or Department()
            department.name, department.email = name, (email or "").strip()
            department.save()
            department.members.set(list(members))
            code = "ticket_department.created" if created else "ticket_department.updated"
            kind = ActivityKind.CREATE if created else ActivityKind.UPDATE
            activity_record(actor=actor, kind=kind, obj=department, code=code, params={"name": department.name})
    except IntegrityError as exc:
        raise ValidationError({"name": _("Dział o tej nazwie już jest.")}) from exc
    return department


@transaction.atomic
def department_delete(*, actor: User, department: Department) -> None:
    """Delete a department; its tickets stay, without a department."""
    if not is_szef(actor):
        raise PermissionDenied
    activity_record(
        actor=actor,
        kind=ActivityKind.DELETE,
        obj=department,
        code="ticket_department.deleted",
        params={"name": department.name},
    )
    department.delete()


def predefined_may_change(user: User, reply: PredefinedReply) -> bool:
    return reply.owner_id == user.pk if reply.owner_id else is_szef(user)


def predefined_save(
    *, actor: User, reply: PredefinedReply | None, title: str, body: str, shared: bool = False
) -> PredefinedReply:
    """A person's own ready answer, or (Szef, `shared`) the company's."""
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Podaj tytuł.")
    if not body:
        errors["body"] = _("Wpisz treść.")
    if errors:
        raise ValidationError(errors)
    if reply is not None and not predefined_may_change(actor, reply):
        raise PermissionDenied
    if shared and not is_szef(actor):
        raise ValidationError({"shared": _("Gotowe odpowiedzi dla całej firmy dodaje Szef.")})
    reply = reply or PredefinedReply()
    reply.title, reply.body = title[:120], body
    reply.owner = None if shared else actor
    reply.save()
    return reply


def predefined_delete(*, actor: User, reply: PredefinedReply) -> None:
    if not predefined_may_change(actor, reply):
        raise PermissionDenied
    reply.delete()


def inbound_secret_regenerate(*, actor: User) -> TicketSettings:
    """A new secret for the inbound endpoint: the old one stops working at once."""
    if not is_szef(actor):
        raise PermissionDenied
    row = TicketSettings.current()
    row.inbound_secret = inbound_secret()
    row.save(update_fields=["inbound_secret"])
    activity_record(actor=actor, kind=ActivityKind.UPDATE, code="ticket.secret", params={})
    return row
