"""The lead statuses every company starts with, named in the language of the signup
(Polish msgids, translated when the company is created). "Skonwertowany" (code
`converted`) and "Utracony" (code `lost`) are locked: Szef may rename and recolour them,
not delete them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from crm.leads.models import LeadStatus, LeadStatusCode

if TYPE_CHECKING:
    from crm.accounts.models import User
    from tenants.models import Company

DEFAULT_STATUSES: list[dict[str, Any]] = [
    {"name": _("Nowy"), "color": "#2457c5"},
    {"name": _("W kontakcie"), "color": "#f39c12"},
    {"name": _("Zakwalifikowany"), "color": "#8e44ad"},
    {"name": _("Skonwertowany"), "color": "#1e8449", "code": LeadStatusCode.CONVERTED, "locked": True},
    {"name": _("Utracony"), "color": "#c0392b", "code": LeadStatusCode.LOST, "locked": True},
]


def lead_statuses_defaults_create(*, language: str = "pl") -> int:
    """Create the default statuses in the active company schema where the list is empty;
    a locked status that is missing is added. Returns how many rows were made."""
    if language not in dict(settings.LANGUAGES):
        language = "pl"
    made = 0
    with translation.override(language):
        if not LeadStatus.objects.exists():
            rows = [
                LeadStatus(**{**row, "name": str(row["name"])}, position=number)
                for number, row in enumerate(DEFAULT_STATUSES, start=1)
            ]
            return len(LeadStatus.objects.bulk_create(rows))
        for row in DEFAULT_STATUSES:
            if "code" not in row or LeadStatus.objects.filter(code=row["code"]).exists():
                continue
            name = str(row["name"])
            if LeadStatus.objects.filter(name__iexact=name).exists():
                name = f"{name} (2)"
            LeadStatus.objects.create(name=name, color=row["color"], code=row["code"], locked=True, position=999)
            made += 1
    return made


def lead_statuses_setup_step(*, company: Company, owner: User | None) -> None:
    """A new company's lead statuses in its owner's language."""
    lead_statuses_defaults_create(language=getattr(owner, "language", "") or "pl")
