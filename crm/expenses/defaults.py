"""The expense categories every company starts with, named in the language of the
signup (Polish msgids, translated when the company is created). Companies that existed
before expenses got the same list from the migration `0001_initial`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from crm.expenses.models import ExpenseCategory

if TYPE_CHECKING:
    from crm.accounts.models import User
    from tenants.models import Company

DEFAULT_CATEGORIES: list[tuple[str | Promise, str]] = [
    (_("Paliwo i dojazdy"), "#d35400"),
    (_("Podróże służbowe"), "#2980b9"),
    (_("Materiały biurowe"), "#16a085"),
    (_("Oprogramowanie i abonamenty"), "#8e44ad"),
    (_("Telefon i internet"), "#2457c5"),
    (_("Marketing i reklama"), "#c0392b"),
    (_("Usługi obce"), "#1e8449"),
    (_("Reprezentacja"), "#b7950b"),
    (_("Inne"), "#7f8c8d"),
]


def expense_categories_defaults_create(*, language: str = "pl") -> int:
    """Create the missing default categories in the active company schema, named in
    `language` (idempotent by name); returns how many were created."""
    if language not in dict(settings.LANGUAGES):
        language = "pl"
    with translation.override(language):
        named = [(str(name), color) for name, color in DEFAULT_CATEGORIES]
    existing = {name.lower() for name in ExpenseCategory.objects.values_list("name", flat=True)}
    start = ExpenseCategory.objects.count()
    rows = [
        ExpenseCategory(name=name, color=color, position=start + i)
        for i, (name, color) in enumerate((n for n in named if n[0].lower() not in existing), start=1)
    ]
    ExpenseCategory.objects.bulk_create(rows)
    return len(rows)


def expense_categories_setup_step(*, company: Company, owner: User | None) -> None:
    """A new company's categories in its owner's (the signup's) language."""
    expense_categories_defaults_create(language=getattr(owner, "language", "") or "pl")
