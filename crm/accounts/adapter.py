from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest

from tenants.db import connection
from tenants.login_throttle import login_failure_record, login_lock, login_success_record, login_throttle_reset


def _typed_account(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email") or credentials.get("username") or credentials.get("login") or "")


class StaffAccountAdapter(DefaultAccountAdapter):
    """Staff join a company by invitation only; companies sign up on the public site."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    # --- the shared login throttle (tenants/login_throttle.py) ---------------------
    # Every password allauth checks (the login form here and on the operator's
    # public host, re-authentication before security changes) goes through these.

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        lock = login_lock(request, account=_typed_account(credentials))
        if lock is not None:
            raise forms.ValidationError(lock.message, code="too_many_login_attempts")

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        user = super().authenticate(request, **credentials)
        if user is not None:
            login_success_record(request, account=_typed_account(credentials))
        return user

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        login_failure_record(request, account=_typed_account(credentials))

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        login_throttle_reset(request, account=_typed_account(credentials))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Password reset and e-mail change messages go out through the company's own
        SMTP settings when Szef set them (Settings > E-mail)."""
        if connection.schema_name == "public":
            super().send_mail(template_prefix, email, context)
            return
        from crm.settings.mail import company_mail_connection, company_sender

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, ctx)
        message.from_email = company_sender()
        message.connection = company_mail_connection()
        message.send()
