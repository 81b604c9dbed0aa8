"""Reading the system log with the filters of its Settings page, CSV export and API."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.common import params
from crm.systemlog.models import SystemEvent, SystemEventKind, SystemEventLevel


class SystemEventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Rodzaj"), choices=[("", _("Wszystkie")), *SystemEventKind.choices], required=False
    )
    level = forms.ChoiceField(
        label=_("Poziom"), choices=[("", _("Wszystkie")), *SystemEventLevel.choices], required=False
    )
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


def system_event_list(
    *, kind: str = "", level: str = "", date_from: date | None = None, date_to: date | None = None
) -> QuerySet[SystemEvent]:
    qs = SystemEvent.objects.order_by("-created_at", "-id")
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    if date_from:
        qs = qs.filter(created_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(created_at__lt=_day_start(date_to + timedelta(days=1)))
    return qs


def system_event_filtered(data: Any) -> tuple[SystemEventFilterForm, QuerySet[SystemEvent]]:
    """The filter form bound to query parameters and the events it selects (none when the
    form is invalid: the caller answers 400 with the form's errors)."""
    form = SystemEventFilterForm(data or None)
    if not form.is_bound:
        return form, system_event_list()
    if not form.is_valid():
        return form, SystemEvent.objects.none()
    cleaned = form.cleaned_data
    return form, system_event_list(
        kind=cleaned.get("kind") or "",
        level=cleaned.get("level") or "",
        date_from=cleaned.get("date_from"),
        date_to=cleaned.get("date_to"),
    )


def system_event_latest(kind: str) -> SystemEvent | None:
    return SystemEvent.objects.filter(kind=kind).order_by("-created_at", "-id").first()
