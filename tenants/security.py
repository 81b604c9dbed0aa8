"""Session and token hygiene, and the operator's two-factor login to /admin/.

- Logging out, or a user being deactivated (`is_active` True -> False), ends every
  session and deletes every API token of that user at once, in the schema where the
  user lives (sessions and tokens are per company schema).
- Django admin on the public host accepts only operators (`is_staff`) who signed in
  with e-mail, password *and* a TOTP code of an allauth MFA authenticator; failed
  attempts count in the one login throttle of the product (`tenants/login_throttle.py`).
  Any login path that records an allauth "mfa" authentication in the session (the
  operator console's own login, for example) also satisfies the admin.
"""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.common.types import AuthUser
from tenants.login_throttle import login_failure_record, login_lock, login_success_record

logger = logging.getLogger(__name__)

MFA_SESSION_KEY = "account_authentication_methods"  # allauth's record of how this session signed in


# --- ending a user's sessions and tokens -------------------------------------------


def user_sessions_end(user: AuthUser) -> int:
    """Delete every live session and API token of `user` in the current schema."""
    wanted = str(user.pk)
    doomed = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded()  # {} for a corrupt or tampered row
        if str(data.get("_auth_user_id")) == wanted:
            doomed.append(session.session_key)
    Session.objects.filter(session_key__in=doomed).delete()
    tokens = getattr(user, "api_tokens", None)  # crm.accounts.ApiToken, reached through the user
    if tokens is not None:
        tokens.all().delete()
    if doomed:
        logger.info("ended %d session(s) and the API tokens of user %s", len(doomed), user.pk)
    return len(doomed)


@receiver(user_logged_out)
def _logout_ends_every_session(sender: Any, request: HttpRequest, user: AuthUser | None, **kwargs: Any) -> None:
    if user is not None and getattr(user, "pk", None) is not None:
        user_sessions_end(user)


def _user_model() -> type[AuthUser]:
    return get_user_model()


@receiver(pre_save)
def _remember_previous_activity(sender: Any, instance: Any, **kwargs: Any) -> None:
    if sender is not _user_model() or instance.pk is None or kwargs.get("raw"):
        return
    previous = sender._default_manager.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    instance._was_active = previous


@receiver(post_save)
def _deactivation_ends_every_session(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if sender is not _user_model() or created or kwargs.get("raw"):
        return
    if getattr(instance, "_was_active", None) and not instance.is_active:
        user_sessions_end(instance)
    instance._was_active = instance.is_active


# --- the operator's admin login: password + TOTP, in the shared login throttle ---------


def session_has_mfa(request: HttpRequest) -> bool:
    records = request.session.get(MFA_SESSION_KEY) or []
    return any(isinstance(r, dict) and r.get("method") == "mfa" for r in records)


def _totp_valid(user: AuthUser, code: str) -> bool:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return False
    return TOTP(authenticator).validate_code(code.strip().replace(" ", ""))


class OperatorLoginForm(AdminAuthenticationForm):
    otp_code = forms.CharField(
        label=_("Kod z aplikacji uwierzytelniającej"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "otp": _("Nieprawidłowy kod uwierzytelniający albo konto bez drugiego składnika."),
    }

    def clean(self) -> dict[str, Any]:
        account = str(self.data.get("username") or "")
        if self.request is not None:
            lock = login_lock(self.request, account=account)
            if lock is not None:
                raise forms.ValidationError(lock.message, code="throttled")
        try:
            cleaned = super().clean()
            user = self.get_user()
            if user is None or not _totp_valid(user, self.cleaned_data.get("otp_code") or ""):
                self.user_cache = None
                raise forms.ValidationError(self.error_messages["otp"], code="otp")
        except forms.ValidationError as exc:
            if self.request is not None and exc.code != "inactive":
                login_failure_record(self.request, account=account)
            raise
        if self.request is not None:
            login_success_record(self.request, account=account)
            self.request._operator_mfa_ok = True  # type: ignore[attr-defined]
        return cleaned


def _admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
    response = _original_login(request, extra_context)
    if getattr(request, "_operator_mfa_ok", False) and request.user.is_authenticated:
        from allauth.account.internal.flows.login import record_authentication

        record_authentication(request, request.user, method="mfa", type="totp")
    return response


def _admin_has_permission(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and session_has_mfa(request))


_original_login = admin.site.login


def admin_install() -> None:
    if getattr(admin.site, "_imcrm_2fa", False):
        return
    admin.site.login_form = OperatorLoginForm
    admin.site.login_template = "admin/operator_login.html"
    admin.site.login = _admin_login  # type: ignore[method-assign]
    admin.site.has_permission = _admin_has_permission  # type: ignore[method-assign]
    admin.site._imcrm_2fa = True  # type: ignore[attr-defined]
