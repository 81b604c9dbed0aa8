from __future__ import annotations

from typing import Any
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from crm.accounts.mail import account_mail_brand, account_mail_context, account_mail_language
from crm.company.mail import company_mail_connection, company_sender, email_send_logged
from crm.company.mail_templates import mail_text, merge_base
from crm.company.models import EmailTemplateKind
from tenants.db import on_public_schema
from tenants.login_throttle import login_failure_record, login_lock, login_success_record, login_throttle_reset
from tenants.mail import mail_subject
from tenants.urls_helpers import company_active_url

PASSWORD_RESET_PREFIX = "account/email/password_reset_key"


def _company_text(message: EmailMultiAlternatives, ctx: dict[str, Any], language: str) -> None:
    """The company's edited password-reset text (Settings > Szablony e-maili), if any."""
    user = ctx.get("user")
    merge = merge_base(user=user, company=str(ctx.get("company_name") or account_mail_brand()))
    merge["reset"] = {"link": str(ctx.get("password_reset_url") or "")}
    subject, body = mail_text(
        kind=EmailTemplateKind.PASSWORD_RESET,
        language=language,
        context=merge,
        default=lambda: (str(message.subject), str(message.body)),
    )
    if (subject, body) != (message.subject, message.body):
        message.subject, message.body = mail_subject(subject), body
        message.alternatives = []  # the built-in HTML part would still carry the old text


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
        """The product's wording, canonical links and the recipient's language
        (crm/accounts/mail.py); in a company, through its own SMTP settings when Szef
        set them (Settings > E-mail)."""

        ctx = {"request": allauth_context.request, **account_mail_context(email=email, context=context)}
        language = account_mail_language(email=email, context=context)
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        if not on_public_schema():
            if template_prefix == PASSWORD_RESET_PREFIX:
                _company_text(message, ctx, language)
            message.from_email = company_sender()
            message.connection = company_mail_connection()
            email_send_logged(message)
            return
        message.send()

    def format_email_subject(self, subject: str) -> str:
        """Prefixed with the company's name; allauth's default prefix is the request's host name."""
        return mail_subject(f"[{account_mail_brand()}] {subject}")

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return company_active_url(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(self, request: HttpRequest | None, emailconfirmation: Any) -> str:
        return company_active_url(reverse("account_confirm_email", args=[emailconfirmation.key]))
