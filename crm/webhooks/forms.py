"""The form of a webhook endpoint (Settings > Webhooki)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.webhooks.events import event_choices


class WebhookEndpointForm(forms.Form):
    url = forms.CharField(label=_("Adres URL"), max_length=500, help_text=_("Publiczny adres https:// odbiorcy."))
    description = forms.CharField(label=_("Opis"), max_length=200, required=False)
    events = forms.MultipleChoiceField(label=_("Zdarzenia"), widget=forms.CheckboxSelectMultiple, choices=())
    active = forms.BooleanField(label=_("Aktywny"), required=False, initial=True)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["events"].choices = event_choices()  # type: ignore[attr-defined]
