from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.accounts.models import User
from crm.categories.models import ContactGroup, Pipeline, TaskCategory
from crm.common import params
from crm.dashboard.reports import ReportFilters
from crm.dashboard.widgets import WIDGETS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class ReportFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Użytkownik"),
        queryset=User.objects.order_by("name", "email"),
        required=False,
        empty_label=_("Wszyscy"),
        error_messages={"invalid_choice": _("Wybierz użytkownika z listy.")},
    )
    group = forms.ModelChoiceField(
        label=_("Grupa klientów"),
        queryset=ContactGroup.objects.order_by("position", "id"),
        required=False,
        empty_label=_("Wszystkie"),
        error_messages={"invalid_choice": _("Wybierz grupę z listy.")},
    )
    pipeline = forms.ModelChoiceField(
        label=_("Lejek"),
        queryset=Pipeline.objects.order_by("position", "id"),
        required=False,
        empty_label=_("Wszystkie"),
        error_messages={"invalid_choice": _("Wybierz lejek z listy.")},
    )
    date_from = params.DateField(
        label=_("Od dnia"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Podaj datę w formacie RRRR-MM-DD.")},
    )
    date_to = params.DateField(
        label=_("Do dnia"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Podaj datę w formacie RRRR-MM-DD.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Data końcowa nie może być wcześniejsza niż początkowa."))
        return data

    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        return ReportFilters(
            user_id=data["user"].pk if data.get("user") else None,
            group_id=data["group"].pk if data.get("group") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            pipeline_id=data["pipeline"].pk if data.get("pipeline") else None,
        )


class QuickTaskForm(forms.Form):
    small = True  # compact inputs in the calendar widget (crm.common.forms)

    title = forms.CharField(label=_("Tytuł"), max_length=200)
    due_date = params.DateField(
        label=_("Dzień"), widget=DateInput(), error_messages={"invalid": _("Podaj datę w formacie RRRR-MM-DD.")}
    )
    due_time = forms.TimeField(
        label=_("Godzina"),
        required=False,
        widget=TimeInput(),
        error_messages={"invalid": _("Podaj godzinę w formacie GG:MM.")},
    )
    category = forms.ModelChoiceField(
        label=_("Kategoria"),
        queryset=TaskCategory.objects.order_by("position", "id"),
        required=False,
        empty_label=_("Bez kategorii"),
        error_messages={"invalid_choice": _("Wybierz kategorię z listy.")},
    )

    def clean_title(self) -> str:
        title = str(self.cleaned_data["title"]).strip()
        if not title:
            raise forms.ValidationError(_("Podaj tytuł zadania."))
        return title


class LayoutForm(forms.Form):
    """One checkbox ("visible") and one position per widget."""

    def __init__(self, *args: Any, current: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        order = current + [k for k in WIDGETS if k not in current]
        for index, key in enumerate(order, start=1):
            widget = WIDGETS[key]
            self.fields[f"show_{key}"] = forms.BooleanField(
                label=str(widget.label),
                required=False,
                initial=key in current,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input", "role": "switch"}),
            )
            self.fields[f"pos_{key}"] = forms.IntegerField(
                label=_("Kolejność: %(name)s") % {"name": widget.label},
                min_value=1,
                max_value=99,
                initial=index,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm pos-input", "data-pos": ""}),
                error_messages={
                    "required": _("Podaj pozycję."),
                    "invalid": _("Podaj liczbę całkowitą."),
                    "min_value": _("Pozycja musi być liczbą od 1 do 99."),
                    "max_value": _("Pozycja musi być liczbą od 1 do 99."),
                },
            )
        self.order = order

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"key": key, "widget": WIDGETS[key], "show": self[f"show_{key}"], "pos": self[f"pos_{key}"]}
            for key in self.order
        ]

    def widgets_chosen(self) -> list[str]:
        data = self.cleaned_data
        chosen = [(data[f"pos_{key}"], i, key) for i, key in enumerate(self.order) if data.get(f"show_{key}")]
        return [key for _pos, _i, key in sorted(chosen)]
