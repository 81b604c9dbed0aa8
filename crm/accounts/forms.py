from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class InvitationAcceptForm(forms.Form):
    name = forms.CharField(label=_("Imię i nazwisko"), max_length=150, required=False)
    password1 = forms.CharField(
        label=_("Hasło (min. 8 znaków)"),
        strip=False,
        min_length=8,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Powtórz hasło"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("Hasła się różnią."))
        return data
