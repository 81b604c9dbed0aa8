"""Forms of the lead pages: the lead, the conversion and the board's status move. They
collect and check input; the rules live in crm/leads/services.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.accounts.access import sees_everything
from crm.accounts.models import User
from crm.categories.models import ContactSource
from crm.common.forms import model_choice_field
from crm.customfields.forms import custom_form_fields_add, custom_form_values
from crm.leads.models import Lead, LeadStatus, LeadStatusCode, OwnerMode, WebFormField
from crm.leads.services import MAX_VALUE


class LeadForm(forms.ModelForm):
    value = forms.DecimalField(
        label=_("Szacowana wartość"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=MAX_VALUE,
        initial=0,
    )

    class Meta:
        model = Lead
        fields = (
            "name",
            "company_name",
            "position",
            "email",
            "phone",
            "tax_id",
            "source",
            "status",
            "lost_reason",
            "owner",
            "value",
            "description",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = model_choice_field(self, "source")
        source.queryset = ContactSource.objects.all()
        source.empty_label = _("(brak)")
        status = model_choice_field(self, "status")
        statuses = LeadStatus.objects.all()
        if not (self.instance.pk and self.instance.converted_at):
            statuses = statuses.exclude(code=LeadStatusCode.CONVERTED)
        status.queryset = statuses
        status.empty_label = None
        staff = User.objects.filter(is_active=True).order_by("name", "email")
        owner = model_choice_field(self, "owner")
        owner.queryset = staff if sees_everything(user) else staff.filter(pk=user.pk)
        owner.empty_label = _("(brak)")
        self.fields["lost_reason"].help_text = _("Wymagany przy statusie „utracony”.")
        custom_form_fields_add(self, model="lead", values=self.instance.custom_fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["custom_fields"] = custom_form_values(self)
        return data


class LeadConvertForm(forms.Form):
    create_deal = forms.BooleanField(label=_("Utwórz szansę sprzedaży"), required=False)
    deal_name = forms.CharField(label=_("Nazwa szansy sprzedaży"), max_length=200, required=False)
    deal_value = forms.DecimalField(
        label=_("Wartość szansy sprzedaży"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=MAX_VALUE,
        required=False,
    )


class LeadTaskForm(forms.Form):
    title = forms.CharField(label=_("Tytuł zadania"), max_length=200)
    due_at = forms.DateTimeField(
        label=_("Termin"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class LeadMoveForm(forms.Form):
    """The board's drag and drop: the new status (and the reason for "lost")."""

    status = forms.ModelChoiceField(queryset=LeadStatus.objects.all())
    lost_reason = forms.CharField(max_length=500, required=False)


class WebFormForm(forms.Form):
    """Settings > Leady: a web-to-lead form."""

    name = forms.CharField(label=_("Nazwa"), max_length=100)
    slug = forms.CharField(
        label=_("Adres formularza"), max_length=60, help_text=_("Formularz będzie pod adresem /forms/<adres>/.")
    )
    asked_fields = forms.MultipleChoiceField(
        label=_("Pola (imię i nazwisko jest zawsze)"),
        choices=WebFormField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    required_fields = forms.MultipleChoiceField(
        label=_("Pola wymagane"), choices=WebFormField.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    thanks_text = forms.CharField(
        label=_("Podziękowanie po wysłaniu"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_mode = forms.ChoiceField(label=_("Przydział opiekuna"), choices=OwnerMode.choices, widget=forms.RadioSelect)
    owner = forms.ModelChoiceField(label=_("Stały opiekun"), queryset=User.objects.none(), required=False)
    rotation = forms.ModelMultipleChoiceField(
        label=_("Osoby w kolejce (round-robin)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    source = forms.ModelChoiceField(label=_("Źródło pozyskania"), queryset=ContactSource.objects.all(), required=False)
    allowed_origins = forms.CharField(
        label=_("Strony, które mogą osadzić formularz"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Jeden adres w wierszu, np. https://firma.pl"),
    )
    active = forms.BooleanField(label=_("Aktywny"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(is_active=True).order_by("name", "email")
        model_choice_field(self, "owner").queryset = staff
        rotation = self.fields["rotation"]
        assert isinstance(rotation, forms.ModelMultipleChoiceField)
        rotation.queryset = staff
