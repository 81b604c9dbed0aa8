"""Any model row as JSON-able data, for the personal-data export (crm.privacy).

Generic on purpose: a field added to a model later is exported without editing this
module. Values: dates and times as ISO 8601 text, decimals and UUIDs as text, a
foreign key as {"id", "name"} (the name when the related row was loaded with the
query), many-to-many as a list of those, a file as its name only (never its content),
a field with choices also as `<field>_display` in the active language. Internal columns
(search text, generated columns) and secrets (tokens, passwords, key hashes) are left out.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import models
from django.db.models import Prefetch, QuerySet

INTERNAL_FIELDS = frozenset({"search_text", "contacts_search_text", "deal_owner_ids", "search_fold"})
SECRET_FIELD = re.compile(r"token|password|secret|key_hash", re.IGNORECASE)


def value_json(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if isinstance(value, dict):
        return {str(k): value_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [value_json(v) for v in value]
    return str(value)


def exported_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if not isinstance(f, (models.GeneratedField, models.BinaryField))
        and f.name not in INTERNAL_FIELDS
        and not SECRET_FIELD.search(f.name)
    ]


def foreign_keys(model: type[models.Model]) -> list[str]:
    return [f.name for f in exported_fields(model) if isinstance(f, models.ForeignKey)]


def many_to_many(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.many_to_many if not SECRET_FIELD.search(f.name)]


def children_of(model: type[models.Model]) -> list[tuple[str, type[models.Model]]]:
    """(accessor, model) of rows that belong to a row of `model` and go with it: reverse
    foreign keys from the same app that cascade (a ticket's replies, an invoice's lines
    and payments, a project's milestones)."""
    found = []
    for rel in model._meta.related_objects:
        child = rel.related_model
        if (
            rel.one_to_many
            and isinstance(child, type)
            and child._meta.app_label == model._meta.app_label
            and child is not model
            and rel.on_delete is models.CASCADE
        ):
            found.append((rel.get_accessor_name() or "", child))
    return [(name, child) for name, child in found if name]


def rows_with_children(qs: QuerySet[Any]) -> QuerySet[Any]:
    """`qs` with its foreign keys joined and its children (two levels) prefetched."""
    model = qs.model
    qs = qs.select_related(*foreign_keys(model)).prefetch_related(*many_to_many(model))
    for name, child in children_of(model):
        inner: QuerySet[Any] = child._default_manager.select_related(*foreign_keys(child))
        grand = [
            Prefetch(n, queryset=g._default_manager.select_related(*foreign_keys(g))) for n, g in children_of(child)
        ]
        qs = qs.prefetch_related(Prefetch(name, queryset=inner.prefetch_related(*grand)))
    return qs


def row_json(obj: models.Model, *, depth: int = 2, parent: type[models.Model] | None = None) -> dict[str, Any]:
    """The row's fields (see the module docstring) and its children's rows, `depth` levels
    down (as far as `rows_with_children` prefetched them); a child leaves out its parent."""
    out: dict[str, Any] = {}
    for f in exported_fields(type(obj)):
        if isinstance(f, models.ForeignKey) and parent is not None and f.related_model is parent:
            continue
        if isinstance(f, models.ForeignKey):
            rel_id = getattr(obj, f.attname)
            if rel_id is None:
                out[f.name] = None
            else:
                related = f.get_cached_value(obj, None) if f.is_cached(obj) else None
                out[f.name] = {"id": value_json(rel_id), "name": str(related) if related is not None else None}
            continue
        value = getattr(obj, f.attname)
        if isinstance(f, models.FileField):
            out[f.name] = os.path.basename(value.name) if value else ""
            continue
        out[f.name] = value_json(value)
        if f.choices and hasattr(obj, f"get_{f.name}_display"):
            out[f"{f.name}_display"] = str(getattr(obj, f"get_{f.name}_display")())
    if obj.pk is not None:
        for name in many_to_many(type(obj)):
            out[name] = [{"id": value_json(r.pk), "name": str(r)} for r in getattr(obj, name).all()]
    if depth > 0:
        for name, _child in children_of(type(obj)):
            out[name] = [row_json(row, depth=depth - 1, parent=type(obj)) for row in getattr(obj, name).all()]
    return out
