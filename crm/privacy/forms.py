"""Forms of the RODO pages: a consent change, the anonymisation's confirmation, a row of
the processing register. Rules live in the services; forms show their refusals."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.common import params
from crm.privacy.models import ConsentChannel, ConsentSource

GRANTED_CHOICES = [("1", _("Udzielona")), ("0", _("Wycofana"))]


class ConsentForm(forms.Form):
    channel = forms.ChoiceField(label=_("Zgoda"), choices=ConsentChannel.choices)
    granted = forms.TypedChoiceField(
        label=_("Stan"), choices=GRANTED_CHOICES, coerce=lambda v: v == "1", widget=forms.RadioSelect, initial="1"
    )
    source = forms.ChoiceField(label=_("Jak wyrażona lub wycofana"), choices=ConsentSource.choices)
    given_at = params.DateTimeField(
        label=_("Kiedy"),
        required=False,
        help_text=_("Puste: teraz."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    note = forms.CharField(label=_("Uwagi"), required=False, max_length=300)


class AnonymiseForm(forms.Form):
    confirm = forms.CharField(label=_("Wpisz imię i nazwisko osoby, aby potwierdzić"), max_length=200)


class RegisterEntryForm(forms.Form):
    purpose = forms.CharField(label=_("Cel przetwarzania"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    legal_basis = forms.CharField(label=_("Podstawa prawna"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    retention = forms.CharField(
        label=_("Okres przechowywania"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
