"""Forms of the task pages. They only collect and check input; the rules live in
crm/tasks/services.py (the same ones the API uses)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crm.accounts.models import User
from crm.categories.models import TaskCategory
from crm.common import params
from crm.common.forms import model_choice_field
from crm.sales.customers import customers_visible_to
from crm.sales.selectors import deals_visible_to
from crm.sales.widgets import DateTimeInput, SearchSelect, valid_ids
from crm.tasks.models import Task
from crm.tasks.selectors import LIST_VIEWS


def _staff() -> Any:
    return User.objects.filter(is_active=True).order_by("name", "email")


class CustomerDealSelect(forms.Select):
    """The deal picker: the chosen deal plus the (visible) deals of the chosen customer;
    choosing another customer reloads the options (htmx, sales:deal_options)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.customer_id: Any = None

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        chosen = set(valid_ids(value))
        options = [self.create_option(name, "", "---------", not chosen, 0)]
        queryset = getattr(self.choices, "queryset", None)
        if queryset is not None and (chosen or self.customer_id):
            scope = (
                queryset.filter(pk__in=chosen)
                if not self.customer_id
                else queryset.filter(customer_id=self.customer_id)
            )
            deals = list(scope.order_by("-created_at")[:50])
            if chosen and not any(str(d.pk) in chosen for d in deals):
                deals += list(queryset.filter(pk__in=chosen))
            for index, deal in enumerate(deals, start=1):
                options.append(self.create_option(name, str(deal.pk), deal.name, str(deal.pk) in chosen, index))
        return [(None, options, 0)]


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
        customer = self.fields["customer"]
        deal = self.fields["deal"]
        assert isinstance(customer, forms.ModelChoiceField) and isinstance(deal, forms.ModelChoiceField)
        customer.queryset = customers_visible_to(user)
        customer.widget = SearchSelect(
            "sales:customer_options",
            search_label=str(_("Szukaj klienta")),
            attrs={
                "hx-get": reverse("sales:deal_options"),
                "hx-trigger": "change",
                "hx-target": "#id_deal",
                "hx-swap": "innerHTML",
            },
        )
        customer.widget.choices = customer.choices
        deal.queryset = deals_visible_to(user)
        deal.widget.choices = deal.choices
        assert isinstance(deal.widget, CustomerDealSelect)
        deal.widget.customer_id = self._customer_id()
        model_choice_field(self, "category").queryset = TaskCategory.objects.all()
        model_choice_field(self, "assignee").queryset = _staff()
        self.fields["reminder_minutes"].help_text = _("E-mail do wykonawcy przed terminem.")

    def _customer_id(self) -> Any:
        if self.is_bound:
            ids = valid_ids(self.data.get("customer"))
            return ids[0] if ids else None
        initial = self.initial.get("customer")
        return getattr(initial, "pk", initial)


class TaskListFilterForm(forms.Form):
    view = forms.ChoiceField(required=False, choices=[(v, v) for v in LIST_VIEWS])
    category = forms.ModelChoiceField(
        label=_("Kategoria"), queryset=TaskCategory.objects.all(), required=False, empty_label=_("Wszystkie kategorie")
    )
    assignee = forms.ModelChoiceField(
        label=_("Wykonawca"), queryset=User.objects.none(), required=False, empty_label=_("Wszyscy wykonawcy")
    )
    day = params.DateField(label=_("Dzień"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "assignee").queryset = _staff()
        for name in ("category", "assignee"):
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
