"""Merge fields of an automation's subject and body: `{{ customer.name }}` and the like.

Not a template language: only `{{ group.field }}` names from a plain dict of strings
built here are replaced (an unknown name becomes empty), so a rule can read nothing
but these values: no attributes, settings, filters or other companies.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.db.models import Model

FIELD = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")

# The names a rule may use, for the help text of the form.
MERGE_FIELDS = (
    "customer.name",
    "customer.email",
    "deal.name",
    "deal.value",
    "lead.name",
    "lead.company_name",
    "lead.email",
    "invoice.number",
    "invoice.gross_total",
    "invoice.due_date",
    "owner.name",
    "company.name",
)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def merge_context(obj: Model) -> dict[str, dict[str, str]]:
    """The values of a record (deal, lead or invoice) that merge fields may show."""
    context: dict[str, dict[str, str]] = {
        "company": {"name": _text(getattr(getattr(connection, "tenant", None), "name", ""))}
    }
    customer = getattr(obj, "customer", None)
    if customer is not None:
        context["customer"] = {"name": _text(customer.name), "email": _text(customer.email)}
    kind = type(obj).__name__.lower()
    if kind == "deal":
        context["deal"] = {"name": _text(getattr(obj, "name", "")), "value": _text(getattr(obj, "value", ""))}
    elif kind == "lead":
        context["lead"] = {
            "name": _text(getattr(obj, "name", "")),
            "company_name": _text(getattr(obj, "company_name", "")),
            "email": _text(getattr(obj, "email", "")),
        }
    elif kind == "invoice":
        context["invoice"] = {
            "number": _text(getattr(obj, "number", "")),
            "gross_total": _text(getattr(obj, "gross_total", "")),
            "due_date": _text(getattr(obj, "due_date", "")),
        }
    owner = getattr(obj, "owner", None)
    if owner is not None:
        context["owner"] = {"name": _text(owner.get_full_name() or owner.email)}
    return context


def merge_render(text: str, context: dict[str, dict[str, str]]) -> str:
    return FIELD.sub(lambda m: context.get(m.group(1), {}).get(m.group(2), ""), text)
