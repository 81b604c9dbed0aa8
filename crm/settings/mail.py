"""Outgoing e-mail of a company. Uses the company's own SMTP settings when Szef has
set them (Settings > E-mail), otherwise the service's default backend."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives


def company_email_send(*, subject: str, body: str, to: Sequence[str], html: str | None = None) -> int:
    """Send one message from the active company schema; returns the number sent."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=list(to))
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
