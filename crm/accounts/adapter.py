from __future__ import annotations

from typing import Any
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from crm.accounts.mail import account_mail_brand, account_mail_context, account_mail_language
from crm.company.mail import company_mail_connection, company_sender
from tenants.db import on_public_schema
from tenants.mail import mail_subject
from tenants.urls_helpers import company_active_url


class StaffAccountAdapter(DefaultAccountAdapter):
    """Staff join a company by invitation only; companies sign up on the public site."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Zbyt wiele nieudanych prób logowania na to konto. Odczekaj kilka minut i spróbuj ponownie "
            "albo zresetuj hasło."
        ),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Throttle failed logins per account *and* client address ("5/5m/key" in
        ACCOUNT_RATE_LIMITS): someone guessing Szef's password from elsewhere uses up
        their own counter, never Szef's. (The cache key also carries the schema.)"""
        key = super()._get_login_attempts_cache_key(request, **credentials)
        try:
            ip = self.get_client_ip(request)
        except Exception:
            ip = "?"
        return f"{key}:{ip}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """The product's wording, canonical links and the recipient's language
        (crm/accounts/mail.py); in a company, through its own SMTP settings when Szef
        set them (Settings > E-mail)."""

        ctx = {"request": allauth_context.request, **account_mail_context(email=email, context=context)}
        with translation.override(account_mail_language(email=email, context=context)):
            message = self.render_mail(template_prefix, email, ctx)
        if not on_public_schema():
            message.from_email = company_sender()
            message.connection = company_mail_connection()
        message.send()

    def format_email_subject(self, subject: str) -> str:
        """Prefixed with the company's name; allauth's default prefix is the request's host name."""
        return mail_subject(f"[{account_mail_brand()}] {subject}")

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return company_active_url(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(self, request: HttpRequest | None, emailconfirmation: Any) -> str:
        return company_active_url(reverse("account_confirm_email", args=[emailconfirmation.key]))
