"""The read-only `consents` summary on the customer and contact person API (RODO).

Consents are kept by crm.privacy, a higher layer: it registers here (in its
`AppConfig.ready()`) a function that answers the current consents of many persons at
once, so a list page costs one query, not one per row:

    consent_summaries_register(fn)   # fn(kind, objs) -> {pk: summary | None}

A summary is {"email": state, "phone": state} with state {"granted", "given_at",
"source"} or null (never recorded); a company customer (consents belong to its contact
persons) has null. Without a registered function the field is null.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

ConsentSummaries = Callable[[str, Sequence[Model]], dict[int, Any]]
_summaries: list[ConsentSummaries] = []


def consent_summaries_register(fn: ConsentSummaries) -> None:
    _summaries[:] = [fn]


def consent_summaries(kind: str, objs: Sequence[Model]) -> dict[int, Any]:
    return _summaries[0](kind, objs) if _summaries else {}


_STATE = {
    "type": "object",
    "nullable": True,
    "properties": {
        "granted": {"type": "boolean"},
        "given_at": {"type": "string", "format": "date-time"},
        "source": {"type": "string"},
    },
}


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "readOnly": True,
        "properties": {"email": _STATE, "phone": _STATE},
        "description": "current marketing consents (RODO; null for a company customer); "
        "changes and history: <id>/consents/",
    }
)
class ConsentsField(serializers.Field):
    """Read-only; the summaries of a whole list page are read once (the parent list's rows)."""

    def __init__(self, *, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:
        cache: dict[int, Any] = self.context.setdefault(f"_consents_{self.kind}", {})
        if value.pk not in cache:
            rows: list[Model] = [value]
            page = getattr(self.parent, "parent", None)
            if isinstance(page, serializers.ListSerializer) and page.instance is not None:
                rows = [row for row in page.instance if isinstance(row, Model)] or rows
            found = consent_summaries(self.kind, rows)
            cache.update({row.pk: found.get(row.pk) for row in rows})
        return cache.get(value.pk)
