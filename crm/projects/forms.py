"""Forms of the project pages: the project and a milestone. They collect and check input;
the rules live in crm/projects/services.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.accounts.access import sees_everything
from crm.accounts.models import User
from crm.common import params
from crm.common.forms import model_choice_field
from crm.contacts.selectors import customers_visible_to
from crm.customfields.forms import CustomFieldsFormMixin
from crm.projects.models import Milestone, Project
from crm.projects.services import MAX_HOURS, MAX_RATE
from crm.sales.forms import CURRENCIES
from crm.sales.widgets import DateInput, SearchSelect


def _staff() -> Any:
    return User.objects.filter(is_active=True).order_by("name", "email")


class ProjectForm(CustomFieldsFormMixin, forms.ModelForm):
    custom_fields_model = "project"
    currency = forms.ChoiceField(label=_("Waluta"), choices=[(c, c) for c in CURRENCIES], initial="PLN")
    rate = forms.DecimalField(
        label=_("Stawka"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=MAX_RATE,
        initial=0,
        help_text=_("Cena projektu przy stałej cenie, stawka godzinowa przy godzinach według stawki projektu."),
    )
    budget_hours = forms.DecimalField(
        label=_("Budżet godzin"),
        max_digits=9,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=MAX_HOURS,
        required=False,
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Członkowie"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pracownik widzi tylko projekty, w których jest członkiem albo opiekunem."),
    )

    class Meta:
        model = Project
        fields = (
            "name",
            "customer",
            "status",
            "billing_type",
            "rate",
            "currency",
            "budget_hours",
            "start_date",
            "deadline",
            "owner",
            "description",
        )
        field_classes = {"start_date": params.DateField, "deadline": params.DateField}
        widgets = {
            "start_date": DateInput(),
            "deadline": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        customer = model_choice_field(self, "customer")
        customer.queryset = customers_visible_to(user)
        customer.widget = SearchSelect("sales:customer_options", search_label=str(_("Szukaj klienta")))
        customer.widget.choices = customer.choices
        staff = _staff()
        owner = model_choice_field(self, "owner")
        owner.queryset = staff if sees_everything(user) else staff.filter(pk=user.pk)
        owner.empty_label = _("(brak)")
        members = self.fields["members"]
        assert isinstance(members, forms.ModelMultipleChoiceField)
        members.queryset = staff
        if self.instance.pk and not self.is_bound:
            self.initial["members"] = list(self.instance.members.values_list("pk", flat=True))
        self.fields["start_date"].required = True
        current_currency = self.initial.get("currency") or (self.instance.currency if self.instance.pk else "PLN")
        currency = self.fields["currency"]
        assert isinstance(currency, forms.ChoiceField)
        if current_currency and current_currency not in CURRENCIES:
            currency.choices = [(current_currency, current_currency), *[(c, c) for c in CURRENCIES]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("deadline")
        if start and end and end < start:
            self.add_error("deadline", _("Termin nie może być wcześniejszy niż data rozpoczęcia."))
        return data


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ("name", "due_date", "description")
        field_classes = {"due_date": params.DateField}
        widgets = {"due_date": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}
