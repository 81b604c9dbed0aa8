"""The billing banner on company pages (templates/partials/banners.html). Reads
the company object the request already has; only a suspended company costs one
query (was it the operator or unpaid bills?)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from billing_saas.lifecycle import status_effective, suspended_by_operator, trial_days_left
from crm.accounts.access import is_szef
from crm.common.policy import READ_ONLY, paths_marked
from tenants.context import request_company
from tenants.models import CompanyStatus


def billing_banner(request: HttpRequest) -> dict[str, Any]:
    company = request_company(request)
    user = getattr(request, "user", None)
    if company is None or user is None or not user.is_authenticated:
        return {}
    now = timezone.now()
    status = status_effective(company, now)
    szef = is_szef(user)
    banner: dict[str, Any] = {"status": status, "is_szef": szef, "billing_url": reverse("billing_saas:billing")}
    if status == CompanyStatus.TRIAL:
        days = trial_days_left(company, now)
        banner["level"] = "info" if days > 3 else "warning"
        banner["days_left"] = days
        banner["text"] = ngettext(
            "Okres próbny: został %(days)d dzień.",
            "Okres próbny: zostało %(days)d dni.",
            days,
        ) % {"days": days}
        banner["action"] = _("Wybierz plan")
    elif status == CompanyStatus.PAST_DUE:
        banner["level"] = "warning"
        banner["text"] = _(
            "Nie udało się pobrać opłaty za subskrypcję. Zaktualizuj kartę, zanim konto przejdzie w tryb tylko do odczytu."
        )
        banner["action"] = _("Zaktualizuj płatność")
    elif status in (CompanyStatus.READ_ONLY, CompanyStatus.CANCELLED):
        banner["level"] = "danger"
        banner["text"] = _(
            "Konto jest w trybie tylko do odczytu: dane można przeglądać i eksportować, ale nie zmieniać."
        )
        banner["action"] = _("Opłać subskrypcję")
    elif status == CompanyStatus.SUSPENDED and suspended_by_operator(company):  # the one query, only when suspended
        banner["level"] = "danger"
        banner["reason"] = "operator"
        banner["text"] = _("Konto jest zawieszone przez operatora: skontaktuj się z nami. Dane są bezpieczne.")
        banner["action"] = _("Płatności")
    elif status == CompanyStatus.SUSPENDED:
        banner["level"] = "danger"
        banner["reason"] = "payment"
        banner["text"] = _("Konto jest zawieszone. Dane są bezpieczne; opłać subskrypcję, aby przywrócić dostęp.")
        banner["action"] = _("Opłać subskrypcję")
    else:
        return {}
    if not szef:
        banner["hint"] = _("Płatnościami zajmuje się Szef Twojej firmy.")
    context: dict[str, Any] = {"billing_banner": banner}
    if status in (CompanyStatus.READ_ONLY, CompanyStatus.CANCELLED):
        context["read_only_ui"] = read_only_ui()
    return context


def read_only_ui() -> dict[str, str]:
    """For static/js/read_only.js: the tooltip of every disabled write button, and the
    form targets that stay enabled (views marked allowed_when_read_only)."""
    return {
        "title": _("Konto jest w trybie tylko do odczytu: opłać subskrypcję, aby dodawać i zmieniać dane."),
        "allowed": json.dumps(paths_marked(READ_ONLY, "config.urls_tenant")),
    }


def owner_email_banner(request: HttpRequest) -> dict[str, Any]:
    """Szef is asked to confirm the owner's address until it is (tenants/owner_email.py);
    billing waits for it. Reads only the company object the request already has."""
    company = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    if company is None or company.schema_name == "public" or user is None or not user.is_authenticated:
        return {}
    if getattr(user, "role", None) != "szef":
        return {}
    if company.owner_email_confirmed_at is not None or company.owner_reported_not_me_at is not None:
        return {}
    return {"owner_email_banner": {"resend_url": reverse("billing_saas:owner_email_resend")}}
