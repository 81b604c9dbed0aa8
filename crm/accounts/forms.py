from __future__ import annotations

from typing import Any

from allauth.core import context as allauth_context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django import forms
from django.utils.translation import gettext_lazy as _

from crm.accounts.models import User
from tenants.login_throttle import login_failure_record, login_lock


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


class _ThrottledCode:
    """allauth's second-factor steps (a TOTP or recovery code after the password, or to
    confirm a sensitive action), on company hosts and in the operator console: a wrong
    code counts as a failed sign-in in the shared throttle, and a locked account is
    refused before its code is checked."""

    user: User

    def clean_code(self) -> str:
        request = allauth_context.request
        account = getattr(self.user, "email", "")
        lock = login_lock(request, account=account)
        if lock is not None:
            raise forms.ValidationError(lock.message, code="too_many_login_attempts")
        try:
            code: str = super().clean_code()  # type: ignore[misc]
        except forms.ValidationError:
            login_failure_record(request, account=account)
            raise
        return code


class ThrottledMfaAuthenticateForm(_ThrottledCode, AuthenticateForm):
    pass


class ThrottledMfaReauthenticateForm(_ThrottledCode, ReauthenticateForm):
    pass
