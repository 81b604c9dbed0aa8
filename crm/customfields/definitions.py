"""Reading the definitions: which record types take custom fields, and the fields of one.

Every list page and API list of those types needs the definitions (columns, filters,
the `custom_fields` object), so they are cached per company (the cache key carries the
schema, django_tenants.cache.make_key) and dropped by every write in services.py: a
list page keeps the number of SQL statements it had before custom fields existed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from crm.common.records import Label, record_types
from crm.customfields.models import OPTION_TYPES, TEXT_TYPES, CustomField

_CACHE_KEY = "customfields:definitions"


@dataclass(frozen=True)
class FieldDef:
    """One custom field as the records use it (a plain copy of the row, cacheable)."""

    id: int
    model: str
    name: str
    key: str
    type: str
    options: tuple[str, ...]
    required: bool
    position: int
    show_in_list: bool

    @property
    def textual(self) -> bool:
        return self.type in TEXT_TYPES

    @property
    def has_options(self) -> bool:
        return self.type in OPTION_TYPES

    @property
    def param(self) -> str:
        """The list filter's query parameter."""
        return f"cf_{self.key}"


def model_choices() -> list[tuple[str, Label]]:
    """Record types that take custom fields: (key, plural label)."""
    return [(rt.key, rt.label_plural) for rt in record_types() if rt.custom_fields]


def model_keys() -> set[str]:
    return {key for key, _label in model_choices()}


def _load() -> dict[str, tuple[FieldDef, ...]]:
    found: dict[str, list[FieldDef]] = {}
    for row in CustomField.objects.order_by("model", "position", "id"):
        found.setdefault(row.model, []).append(
            FieldDef(
                id=row.pk,
                model=row.model,
                name=row.name,
                key=row.key,
                type=row.type,
                options=tuple(row.options),
                required=row.required,
                position=row.position,
                show_in_list=row.show_in_list,
            )
        )
    return {model: tuple(defs) for model, defs in found.items()}


def custom_fields_of(model: str) -> tuple[FieldDef, ...]:
    """The fields of record type `model`, in their order (cached, see the module's docstring)."""
    every = cache.get(_CACHE_KEY)
    if every is None:
        every = _load()
        cache.set(_CACHE_KEY, every, timeout=3600)
    return tuple(every.get(model, ()))


def custom_list_columns(model: str) -> tuple[FieldDef, ...]:
    return tuple(f for f in custom_fields_of(model) if f.show_in_list)


def definitions_forget() -> None:
    cache.delete(_CACHE_KEY)
