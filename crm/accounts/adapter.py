from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tenants.db import on_public_schema
from tenants.mail import mail_subject


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

    def format_email_subject(self, subject: str) -> str:
        """allauth's subjects (password reset, e-mail change) are one line too."""
        return mail_subject(super().format_email_subject(subject))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Password reset and e-mail change messages go out through the company's own
        SMTP settings when Szef set them (Settings > E-mail)."""
        if on_public_schema():
            super().send_mail(template_prefix, email, context)
            return
        from crm.company.mail import company_mail_connection, company_sender

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, ctx)
        message.from_email = company_sender()
        message.connection = company_mail_connection()
        message.send()
