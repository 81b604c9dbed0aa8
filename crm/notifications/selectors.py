"""Reads of notifications: a person only ever sees his own."""

from __future__ import annotations

from django.db.models import QuerySet

from crm.accounts.models import User
from crm.notifications.models import Notification


def notifications_of(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(read_at__isnull=True) if unread else qs


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
