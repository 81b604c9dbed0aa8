"""Writes of notifications: `notify` (called by the apps whose events people want to hear
about), reading them and each person's e-mail choices.

`notify` never tells people what they did themselves, nor inactive people. Its e-mail
(when the person wants one for that kind) goes through Celery after the commit, so a
rolled-back change never mails anybody."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from crm.accounts.models import User
from crm.company.mail import company_email_send
from crm.notifications.models import EMAIL_BY_DEFAULT, Notification, NotificationEmailSetting, NotificationKind
from tenants.urls_helpers import company_active_url

logger = logging.getLogger(__name__)

TITLE_LIMIT = 140


def email_wanted(user: User, kind: str) -> bool:
    """Does `user` want `kind` by e-mail (his choice, else the default)?"""
    choice = NotificationEmailSetting.objects.filter(user=user, kind=kind).values_list("email", flat=True).first()
    return (kind in EMAIL_BY_DEFAULT) if choice is None else bool(choice)


def email_settings(user: User) -> dict[str, bool]:
    """Every kind → whether it comes by e-mail to `user`."""
    chosen = dict(NotificationEmailSetting.objects.filter(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, kind in EMAIL_BY_DEFAULT) for kind in NotificationKind.values}


@transaction.atomic
def email_settings_save(*, user: User, wanted: Iterable[str]) -> None:
    """Store `user`'s choice: the kinds in `wanted` come by e-mail, the others do not."""
    wanted = set(wanted) & set(NotificationKind.values)
    for kind in NotificationKind.values:
        NotificationEmailSetting.objects.update_or_create(user=user, kind=kind, defaults={"email": kind in wanted})


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= TITLE_LIMIT else text[: TITLE_LIMIT - 1] + "…"


def notify(
    *,
    recipient: User | None,
    kind: str,
    title: str,
    url: str = "",
    actor: User | None = None,
    email: bool = True,
) -> Notification | None:
    """Tell `recipient` that `kind` happened to the record called `title` (its card at `url`).
    `email=False`: the caller sends its own e-mail for this event (and asks `email_wanted`).
    None when nobody is told (no recipient, an inactive one, or the actor himself)."""
    if kind not in NotificationKind.values:
        raise ValueError(kind)
    if recipient is None or not recipient.is_active or (actor is not None and actor.pk == recipient.pk):
        return None
    params = {"title": _short(title)}
    if actor is not None and actor.pk:
        params["actor"] = str(actor)
    notification = Notification.objects.create(recipient=recipient, actor=actor, kind=kind, params=params, url=url)
    if email and recipient.email and email_wanted(recipient, kind):
        transaction.on_commit(functools.partial(_email_queue, notification.pk))
    return notification


def _email_queue(notification_id: int) -> None:
    from crm.notifications.tasks import notification_email_send_task
    from tenants.queue import enqueue

    enqueue(notification_email_send_task, notification_id)


def notification_email_send(*, notification_id: int) -> bool:
    """The worker's half: e-mail one notification (in the recipient's language) unless it
    was read or removed meanwhile; False when nothing was sent."""
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or notification.read_at is not None:
        return False
    person = notification.recipient
    if not person.is_active or not person.email:
        return False
    try:
        with translation.override(person.language or "pl"), timezone.override(timezone.get_default_timezone()):
            context: dict[str, Any] = {
                "notification": notification,
                "link": company_active_url(notification.url) if notification.url else "",
                "settings_link": company_active_url("/notifications/settings/"),
            }
            body = render_to_string("notifications/email/notice.txt", context)
            subject = notification.message
        return company_email_send(subject=subject, body=body, to=[person.email]) > 0
    except Exception:  # the event itself is saved; a notice that fails is only logged
        logger.exception("notification %s: the e-mail failed", notification_id)
        return False


def notification_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, user: User) -> int:
    """Mark every unread notification of `user` read; the number marked."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
