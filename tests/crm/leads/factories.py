from __future__ import annotations

from typing import Any

from crm.accounts.models import User
from crm.leads.models import Lead
from crm.leads.services import lead_create


def lead_make(*, actor: User | None = None, **kwargs: Any) -> Lead:
    """A lead in the active company schema (status: the first open one)."""
    kwargs.setdefault("name", "Jan Kowalski")
    kwargs.setdefault("company_name", "Kowalski Sp. z o.o.")
    kwargs.setdefault("email", "jan@kowalski.test")
    return lead_create(actor=actor, **kwargs)
