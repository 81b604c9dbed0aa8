"""The form of an automation rule (Settings > Automatyzacje)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from crm.accounts.models import User
from crm.automations.merge import MERGE_FIELDS
from crm.automations.models import Action, Trigger
from crm.categories.forms import StageChoiceField
from crm.categories.models import ContactSource, DealStage, stages_for_choice


class AutomationRuleForm(forms.Form):
    name = forms.CharField(label=_("Nazwa"), max_length=100)
    enabled = forms.BooleanField(label=_("Włączona"), required=False, initial=True)
    trigger = forms.ChoiceField(label=_("Kiedy"), choices=Trigger.choices)
    stage = StageChoiceField(label=_("Etap szansy"), queryset=DealStage.objects.none(), required=False)
    source = forms.ModelChoiceField(label=_("Źródło leada"), queryset=ContactSource.objects.none(), required=False)
    action = forms.ChoiceField(label=_("Co zrobić"), choices=Action.choices)
    person = forms.ModelChoiceField(
        label=_("Osoba"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Wykonawca zadania, nowy opiekun albo powiadamiany; puste: opiekun rekordu."),
    )
    task_title = forms.CharField(label=_("Tytuł zadania"), max_length=200, required=False)
    task_due_days = forms.IntegerField(label=_("Termin zadania (dni)"), min_value=0, max_value=365, initial=1)
    subject = forms.CharField(label=_("Temat"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Treść"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=format_lazy("{} {}", _("Pola do wstawienia:"), ", ".join("{{ " + f + " }}" for f in MERGE_FIELDS)),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = stages_for_choice()  # type: ignore[attr-defined]
        self.fields["source"].queryset = ContactSource.objects.all()  # type: ignore[attr-defined]
        self.fields["person"].queryset = User.objects.filter(is_active=True)  # type: ignore[attr-defined]
