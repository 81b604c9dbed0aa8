from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.notes.models import NoteKind


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Treść notatki"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": _("Wpisz treść notatki.")},
    )
    kind = forms.ChoiceField(label=_("Rodzaj"), choices=NoteKind.choices, initial=NoteKind.NOTE, required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Plik"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
        error_messages={"required": _("Wybierz plik do wysłania."), "empty": _("Plik jest pusty.")},
    )
