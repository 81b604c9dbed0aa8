"""Forms of the task pages. They only collect and check input; the rules live in
crm/tasks/services.py (the same ones the API uses)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.accounts.models import User
from crm.categories.models import TaskCategory
from crm.common import params
from crm.common.forms import model_choice_field
from crm.sales.customers import customers_visible_to
from crm.sales.selectors import deals_visible_to
from crm.sales.widgets import CustomerDealSelect, DateTimeInput, customer_deal_pickers
from crm.tasks.models import Task
from crm.tasks.selectors import LIST_VIEWS, task_project_choices


def _staff() -> Any:
    return User.objects.filter(is_active=True).order_by("name", "email")


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = (
            "title",
            "description",
            "category",
            "starts_at",
            "due_at",
            "reminder_minutes",
            "assignee",
            "visibility",
            "customer",
            "deal",
            "project",
            "milestone",
            "visible_to_customer",
            "done",
        )
        field_classes = {"starts_at": params.DateTimeField, "due_at": params.DateTimeField}
        widgets = {
            "starts_at": DateTimeInput(),
            "due_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "deal": CustomerDealSelect(),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        customer_deal_pickers(self, customers=customers_visible_to(user), deals=deals_visible_to(user))
        projects, milestones = task_project_choices(user)
        model_choice_field(self, "project").queryset = projects
        milestone = model_choice_field(self, "milestone")
        milestone.queryset = milestones
        milestone.label_from_instance = lambda m: f"{m.project} – {m}"  # type: ignore[assignment,method-assign]
        model_choice_field(self, "category").queryset = TaskCategory.objects.all()
        model_choice_field(self, "assignee").queryset = _staff()
        self.fields["reminder_minutes"].help_text = _("E-mail do wykonawcy przed terminem.")


class TaskListFilterForm(forms.Form):
    view = forms.ChoiceField(required=False, choices=[(v, v) for v in LIST_VIEWS])
    category = forms.ModelChoiceField(
        label=_("Kategoria"), queryset=TaskCategory.objects.all(), required=False, empty_label=_("Wszystkie kategorie")
    )
    assignee = forms.ModelChoiceField(
        label=_("Wykonawca"), queryset=User.objects.none(), required=False, empty_label=_("Wszyscy wykonawcy")
    )
    day = params.DateField(label=_("Dzień"), required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label=_("Kolejność"),
        required=False,
        choices=[
            ("", _("Według terminu")),
            ("title", _("Tytuł A–Ż")),
            ("-title", _("Tytuł Ż–A")),
            ("-created", _("Najnowsze")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "assignee").queryset = _staff()
        for name in ("category", "assignee", "sort"):
            self.fields[name].widget.attrs.update({"class": "form-select form-select-sm", "data-autosubmit": ""})

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for selectors.task_list (an unknown value counts as no filter)."""
        data = self.cleaned_data if self.is_valid() else {}
        category, assignee = data.get("category"), data.get("assignee")
        return {
            "view": data.get("view") or ("all" if data.get("day") else "mine"),
            "category_id": category.pk if category else None,
            "assignee_id": assignee.pk if assignee else None,
            "day": data.get("day"),
            "sort": data.get("sort") or "",
        }


class AssigneeFilterForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Wykonawca"), queryset=User.objects.none(), required=False, empty_label=_("Wszyscy wykonawcy")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "assignee").queryset = _staff()
        self.fields["assignee"].widget.attrs.update({"class": "form-select form-select-sm", "data-autosubmit": ""})

    def assignee_id(self) -> int | None:
        if not self.is_valid() or not self.cleaned_data.get("assignee"):
            return None
        return int(self.cleaned_data["assignee"].pk)
