"""The custom fields' values on the cards of records (a side block, crm.common.records).

Registered for every record type with custom fields; this app comes after the record
apps in INSTALLED_APPS, so their types are known when its ready() runs."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from crm.common.records import CardSection, card_section_register, record_type_of, record_types
from crm.common.types import AuthedRequest
from crm.customfields.definitions import custom_fields_of
from crm.customfields.values import custom_value_display


def custom_card_rows(obj: Any) -> list[tuple[Any, str]]:
    values = getattr(obj, "custom_fields", None) or {}
    return [(f, custom_value_display(f, values.get(f.key))) for f in custom_fields_of(record_type_of(obj).key)]


def _context(request: AuthedRequest, obj: Any) -> dict[str, Any]:
    return {"rows": custom_card_rows(obj)}


def cards_register() -> None:
    for record_type in record_types():
        if record_type.custom_fields:
            card_section_register(
                CardSection(
                    host=record_type.key,
                    key="custom_fields",
                    label=_("Pola własne"),
                    template="customfields/_card.html",
                    context=_context,
                    place="side",
                    order=5,
                )
            )
