"""Forms of the contract pages: the contract, sending, renewing, the contract settings,
and the customer's signature on the public page. They collect and check input; the
rules live in crm/contracts/services.py."""

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
from crm.contracts.models import Contract, ContractStatus, ContractType
from crm.contracts.services import MANUAL_STATUSES, MAX_VALUE, NAME_MAX
from crm.sales.forms import CURRENCIES
from crm.sales.selectors import deals_visible_to
from crm.sales.widgets import CustomerDealSelect, DateInput, customer_deal_pickers


class ContractForm(forms.ModelForm):
    currency = forms.ChoiceField(label=_("Waluta"), choices=[(c, c) for c in CURRENCIES], initial="PLN")
    value = forms.DecimalField(
        label=_("Wartość"), max_digits=14, decimal_places=2, min_value=Decimal(0), max_value=MAX_VALUE, initial=0
    )

    class Meta:
        model = Contract
        fields = (
            "subject",
            "customer",
            "deal",
            "type",
            "value",
            "currency",
            "start_date",
            "end_date",
            "status",
            "owner",
            "description",
        )
        field_classes = {"start_date": params.DateField, "end_date": params.DateField}
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "deal": CustomerDealSelect(),
            "description": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        customer_deal_pickers(self, customers=customers_visible_to(user), deals=deals_visible_to(user))
        kind = model_choice_field(self, "type")
        kind.queryset = ContractType.objects.all()
        kind.empty_label = _("(bez typu)")
        staff = User.objects.filter(is_active=True).order_by("name", "email")
        owner = model_choice_field(self, "owner")
        owner.queryset = staff if sees_everything(user) else staff.filter(pk=user.pk)
        owner.empty_label = _("(brak)")
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        current = self.instance.status if self.instance.pk else ContractStatus.DRAFT
        status.choices = [(v, lbl) for v, lbl in ContractStatus.choices if v in MANUAL_STATUSES or v == current]
        self.fields["start_date"].required = True
        self.fields["end_date"].help_text = _("Opiekun dostanie przypomnienie przed tą datą.")
        self.fields["description"].help_text = _("Treść, którą klient czyta i podpisuje.")
        current_currency = self.initial.get("currency") or (self.instance.currency if self.instance.pk else "PLN")
        currency = self.fields["currency"]
        assert isinstance(currency, forms.ChoiceField)
        if current_currency and current_currency not in CURRENCIES:
            currency.choices = [(current_currency, current_currency), *[(c, c) for c in CURRENCIES]]


class ContractSendForm(forms.Form):
    to = forms.CharField(
        label=_("Do"),
        max_length=1000,
        help_text=_("Adres e-mail klienta; kilka adresów rozdziel przecinkami."),
    )
    message = forms.CharField(
        label=_("Wiadomość (opcjonalnie)"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ContractRenewForm(forms.Form):
    start_date = params.DateField(label=_("Data rozpoczęcia"), widget=DateInput())
    end_date = params.DateField(label=_("Data zakończenia"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Data zakończenia nie może być wcześniejsza niż data rozpoczęcia."))
        return data


class ContractSettingsForm(forms.Form):
    reminder_days = forms.IntegerField(
        label=_("Przypomnienie o końcu umowy (dni przed końcem)"),
        min_value=1,
        max_value=365,
        help_text=_("Opiekun umowy dostanie jeden e-mail tyle dni przed datą zakończenia."),
    )


class SignForm(forms.Form):
    name = forms.CharField(label=_("Imię i nazwisko"), max_length=NAME_MAX)
    confirm = forms.BooleanField(label=_("Przeczytałem(-am) umowę i podpisuję ją."))
    document_hash = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update({"autocomplete": "name"})
