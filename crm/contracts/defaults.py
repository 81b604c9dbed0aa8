"""The contract types every company starts with, named in the language of the signup
(Polish msgids, translated when the company is created). Companies that existed before
contracts got the same list from the migration `0001_initial`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from crm.contracts.models import ContractType

if TYPE_CHECKING:
    from crm.accounts.models import User
    from tenants.models import Company

DEFAULT_TYPES: list[tuple[str | Promise, str]] = [
    (_("Umowa o świadczenie usług"), "#2457c5"),
    (_("Umowa serwisowa"), "#1e8449"),
    (_("Umowa licencyjna"), "#8e44ad"),
    (_("Umowa ramowa"), "#d35400"),
    (_("Umowa o zachowaniu poufności (NDA)"), "#7f8c8d"),
]


def contract_types_defaults_create(*, language: str = "pl") -> int:
    """Create the default types in the active company schema when it has none yet (a
    company that deleted some keeps its choice), named in `language`; returns how many."""
    if ContractType.objects.exists():
        return 0
    if language not in dict(settings.LANGUAGES):
        language = "pl"
    with translation.override(language):
        rows = [
            ContractType(name=str(name), color=color, position=number)
            for number, (name, color) in enumerate(DEFAULT_TYPES, start=1)
        ]
    ContractType.objects.bulk_create(rows)
    return len(rows)


def contract_types_setup_step(*, company: Company, owner: User | None) -> None:
    """A new company's contract types in its owner's (the signup's) language."""
    contract_types_defaults_create(language=getattr(owner, "language", "") or "pl")
