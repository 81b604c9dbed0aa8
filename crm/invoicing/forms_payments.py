"""Forms of the payments side: a payment, the report filters, Szef's reminder settings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from crm.common import params
from crm.invoicing.models import PaymentMethod, PaymentReminderSettings, RecurringInterval
from crm.invoicing.reminders import PLACEHOLDERS, default_body, default_subject, placeholders_unknown
from crm.invoicing.unpaid import BUCKETS

DATE_MESSAGE = {"invalid": _("Podaj datę w formacie RRRR-MM-DD.")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Kwota"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"min_value": _("Kwota płatności musi być większa od zera.")},
    )
    paid_at = params.DateField(label=_("Data zapłaty"), widget=DateInput(), error_messages=DATE_MESSAGE)
    method = forms.ChoiceField(label=_("Sposób płatności"), choices=PaymentMethod.choices)
    note = forms.CharField(label=_("Uwagi"), max_length=300, required=False)

    def __init__(self, *args: Any, left: Decimal | None = None, method: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("paid_at", timezone.localdate())
        if left is not None and left > 0:
            kwargs["initial"].setdefault("amount", left)
        if method:
            kwargs["initial"].setdefault("method", method)
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs.update({"min": "0.01", "step": "0.01"})


class UnpaidFilterForm(forms.Form):
    bucket = forms.ChoiceField(
        label=_("Po terminie"),
        required=False,
        choices=[("", _("Wszystkie"))] + [(b.key, b.label) for b in BUCKETS],
        error_messages={"invalid_choice": _("Wybierz przedział z listy.")},
    )
    currency = forms.RegexField(
        label=_("Waluta"),
        regex=r"^[A-Za-z]{3}$",
        required=False,
        max_length=3,
        error_messages={"invalid": _("Podaj kod waluty z trzech liter, np. PLN lub EUR.")},
    )


class SalesReportForm(forms.Form):
    date_from = params.DateField(
        label=_("Wystawione od"), required=False, widget=DateInput(), error_messages=DATE_MESSAGE
    )
    date_to = params.DateField(
        label=_("Wystawione do"), required=False, widget=DateInput(), error_messages=DATE_MESSAGE
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Data końcowa nie może być wcześniejsza niż początkowa."))
        return data


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = PaymentReminderSettings
        fields = ("enabled", "first_after_days", "repeat_every_days", "max_count", "subject", "body")
        widgets = {"body": forms.Textarea(attrs={"rows": 9})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with translation.override(settings.LANGUAGE_CODE):  # customers get the company's language
            self.fields["subject"].widget.attrs["placeholder"] = default_subject()
            self.fields["body"].widget.attrs["placeholder"] = default_body()
        self.fields["subject"].help_text = _("Puste pole: tekst domyślny (widoczny w polu).")
        self.fields["body"].help_text = _("Dostępne pola: %(names)s.") % {
            "names": ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        }

    def _clean_text(self, name: str) -> str:
        value = str(self.cleaned_data.get(name) or "")
        unknown = placeholders_unknown(value)
        if unknown:
            raise forms.ValidationError(
                _("Nieznane pola w nawiasach: %(names)s. Dostępne: %(known)s.")
                % {
                    "names": ", ".join("{" + n + "}" for n in unknown),
                    "known": ", ".join("{" + n + "}" for n in PLACEHOLDERS),
                }
            )
        return value.strip()

    def clean_subject(self) -> str:
        return self._clean_text("subject")

    def clean_body(self) -> str:
        return self._clean_text("body")


class RecurringForm(forms.Form):
    interval = forms.ChoiceField(label=_("Co ile"), choices=RecurringInterval.choices)
    next_date = params.DateField(label=_("Następna faktura"), widget=DateInput(), error_messages=DATE_MESSAGE)
    end_date = params.DateField(
        label=_("Do (opcjonalnie)"), required=False, widget=DateInput(), error_messages=DATE_MESSAGE
    )
    issue_automatically = forms.BooleanField(
        label=_("Wystawiaj automatycznie (bez tego: przygotuj szkic do sprawdzenia)"), required=False
    )
    active = forms.BooleanField(label=_("Aktywna"), required=False)

    def __init__(self, *args: Any, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("next_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Data końcowa nie może być wcześniejsza niż data następnej faktury."))
        return data
