"""Forms of time tracking: a time entry typed in, the timer's start, billing a project's
time, and the timesheet's choice of person and week."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.accounts.access import is_manager
from crm.accounts.models import User
from crm.common import params
from crm.common.types import AuthUser
from crm.projects.models import Project
from crm.sales.widgets import DateTimeInput
from crm.tasks.models import Task
from crm.timetracking.selectors import projects_visible_to
from crm.timetracking.services import GROUP_BY_PERSON, GROUP_BY_TASK, MAX_MINUTES, NOTE_MAX


class TimeEntryForm(forms.Form):
    project = forms.ModelChoiceField(label=_("Projekt"), queryset=Project.objects.none())
    task = forms.ModelChoiceField(label=_("Zadanie"), queryset=Task.objects.none(), required=False)
    user = forms.ModelChoiceField(label=_("Osoba"), queryset=User.objects.none(), required=False)
    started_at = params.DateTimeField(label=_("Początek"), widget=DateTimeInput())
    ended_at = params.DateTimeField(
        label=_("Koniec"), widget=DateTimeInput(), required=False, help_text=_("Albo podaj liczbę minut.")
    )
    minutes = forms.IntegerField(label=_("Minuty"), min_value=1, max_value=MAX_MINUTES, required=False)
    billable = forms.BooleanField(label=_("Do fakturowania"), required=False, initial=True)
    note = forms.CharField(
        label=_("Notatka"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=NOTE_MAX
    )

    def __init__(self, *args: Any, user: AuthUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        projects = projects_visible_to(user).order_by("name", "id")
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]
        self.fields["task"].queryset = (  # type: ignore[attr-defined]
            Task.objects.filter(project__in=projects).select_related("project").order_by("project__name", "title")
        )
        if is_manager(user):
            self.fields["user"].queryset = User.objects.filter(is_active=True)  # type: ignore[attr-defined]
            self.fields["user"].help_text = _("Puste: Ty.")
        else:
            del self.fields["user"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and data.get("ended_at") is None and data.get("minutes") is None:
            self.add_error("ended_at", _("Podaj koniec albo liczbę minut."))
        return data


class TimerStartForm(forms.Form):
    project = forms.ModelChoiceField(label=_("Projekt"), queryset=Project.objects.none())
    task = forms.ModelChoiceField(label=_("Zadanie"), queryset=Task.objects.none(), required=False)
    note = forms.CharField(label=_("Notatka"), required=False, max_length=NOTE_MAX)

    def __init__(self, *args: Any, user: AuthUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        projects = projects_visible_to(user)
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]
        self.fields["task"].queryset = Task.objects.filter(project__in=projects)  # type: ignore[attr-defined]


class InvoiceTimeForm(forms.Form):
    group_by = forms.ChoiceField(
        label=_("Pozycje faktury"),
        choices=((GROUP_BY_TASK, _("według zadań")), (GROUP_BY_PERSON, _("według osób"))),
        initial=GROUP_BY_TASK,
        widget=forms.RadioSelect,
    )


class TimesheetForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Osoba"), queryset=User.objects.none(), required=False, empty_label=None)
    week = params.DateField(label=_("Tydzień"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people  # type: ignore[attr-defined]
