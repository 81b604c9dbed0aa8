"""Reading the activity log with the filters of the log page and its CSV export."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.activity.models import ActivityEntry, ActivityKind
from crm.common import params


class ActivityFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Użytkownik"), queryset=get_user_model().objects.all(), required=False, empty_label=_("Wszyscy")
    )
    kind = forms.ChoiceField(label=_("Rodzaj"), choices=[("", _("Wszystkie")), *ActivityKind.choices], required=False)
    date_from = params.DateField(label=_("Od dnia"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = params.DateField(label=_("Do dnia"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Data końcowa jest wcześniejsza niż początkowa."))
        return data


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def activity_list(
    *, user: AbstractBaseUser | None = None, kind: str = "", date_from: date | None = None, date_to: date | None = None
) -> QuerySet[ActivityEntry]:
    qs = ActivityEntry.objects.select_related("user").order_by("-created_at", "-id")
    if user is not None:
        qs = qs.filter(user_id=user.pk)
    if kind:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(created_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(created_at__lt=_day_start(date_to + timedelta(days=1)))
    return qs


def object_type_label(object_type: str) -> str:
    from django.apps import apps

    if not object_type or "." not in object_type:
        return object_type
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
