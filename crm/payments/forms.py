"""Settings > Płatności online: the company's Stripe keys. Secrets are never shown back:
an empty field keeps the stored one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.payments.services import KEY_PATTERNS

_SECRET_HELP = _("Zostaw puste, aby zachować zapisany. Jest szyfrowany i nigdy nie jest wyświetlany.")


def _secret_field(label: Any, placeholder: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=True,
        max_length=255,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "new-password", "placeholder": placeholder}
        ),
        help_text=_SECRET_HELP,
    )


class GatewayForm(forms.Form):
    enabled = forms.BooleanField(label=_("Klienci mogą płacić za faktury kartą (Stripe)"), required=False)
    publishable_key = forms.CharField(
        label=_("Klucz publiczny (publishable key)"),
        required=False,
        strip=True,
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": "pk_live_…", "autocomplete": "off"}),
    )
    secret_key = _secret_field(_("Klucz tajny (secret key)"), "sk_live_…")
    webhook_secret = _secret_field(_("Sekret podpisu webhooka (signing secret)"), "whsec_…")

    def __init__(self, *args: Any, has_secret_key: bool, has_webhook_secret: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_secret_key = has_secret_key
        self.has_webhook_secret = has_webhook_secret

    def _check(self, name: str, message: Any) -> str:
        value = str(self.cleaned_data.get(name) or "")
        if value and not KEY_PATTERNS[name].fullmatch(value):
            raise forms.ValidationError(message)
        return value

    def clean_publishable_key(self) -> str:
        return self._check("publishable_key", _("Klucz publiczny zaczyna się od „pk_live_” albo „pk_test_”."))

    def clean_secret_key(self) -> str:
        return self._check(
            "secret_key",
            _("Klucz tajny zaczyna się od „sk_live_” albo „sk_test_” (lub „rk_” dla klucza ograniczonego)."),
        )

    def clean_webhook_secret(self) -> str:
        return self._check("webhook_secret", _("Sekret podpisu webhooka zaczyna się od „whsec_”."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        secret, publishable = data.get("secret_key", ""), data.get("publishable_key", "")
        if secret and publishable and secret.split("_")[1] != publishable.split("_")[1]:
            self.add_error("secret_key", _("Klucze muszą być z tego samego trybu: oba testowe albo oba produkcyjne."))
        if data.get("enabled"):
            if not publishable:
                self.add_error("publishable_key", _("Aby włączyć płatności kartą, podaj klucz publiczny."))
            if not (secret or self.has_secret_key):
                self.add_error("secret_key", _("Aby włączyć płatności kartą, podaj klucz tajny."))
            if not (data.get("webhook_secret") or self.has_webhook_secret):
                self.add_error("webhook_secret", _("Aby włączyć płatności kartą, podaj sekret podpisu webhooka."))
        return data
