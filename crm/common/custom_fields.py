"""The column a record type with custom fields carries (crm.customfields defines the
fields; the values live on the record): a JSONB object {key: value}, and a GIN index
(jsonb_path_ops) that answers every exact filter `custom_fields @> {...}` of any key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _


def custom_fields_column() -> models.JSONField:
    return models.JSONField(_("pola własne"), default=dict, blank=True)


def custom_fields_index(name: str) -> GinIndex:
    return GinIndex(fields=["custom_fields"], opclasses=["jsonb_path_ops"], name=name)


def custom_search_words(values: Mapping[str, Any] | None) -> list[str]:
    """The textual parts of stored custom values (strings, lists of strings): what a
    record's search text includes so the search finds them."""
    words: list[str] = []
    for value in (values or {}).values():
        if isinstance(value, str):
            words.append(value)
        elif isinstance(value, list):
            words.extend(str(v) for v in value)
    return words
