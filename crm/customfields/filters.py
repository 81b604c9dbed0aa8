"""`?cf_<key>=value` on lists (pages and API): exact for select, multi-select (the
value is one of the chosen options), checkbox, number, decimal and date; "contains",
without letter case, for text, long text, URL and e-mail.

Exact filters are JSONB containment (`custom_fields @> '{"key": value}'`), answered by
one GIN index (jsonb_path_ops) on each table's custom_fields column: it covers every
key, present and future, so adding or filtering a field needs no DDL at runtime (an
expression index per key would need CREATE INDEX CONCURRENTLY outside a transaction,
from a web request, for each filtered key of each company). On the bench company
(100,000 customers, 10 fields) a page filtered this way stays a bitmap index scan
(bench/crm_lists.py, "custom field filter"). Text "contains" cannot use that index;
the customers list narrows it with the trigram index of search_text first (the
values of textual fields are part of it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.lookups import IContains
from django.utils.translation import gettext as _

from crm.customfields.definitions import FieldDef
from crm.customfields.models import FieldType
from crm.customfields.values import custom_value_clean

M = TypeVar("M", bound=Model)


def custom_filters_read(fields: Iterable[FieldDef], params: Mapping[str, Any]) -> dict[FieldDef, Any]:
    """The custom-field filters present in `params` ({field: clean value}); a value the
    field cannot hold is a ValidationError naming the parameter."""
    found: dict[FieldDef, Any] = {}
    errors: dict[str, str] = {}
    for field in fields:
        raw = params.get(field.param)
        if raw is None or str(raw).strip() == "":
            continue
        raw = str(raw).strip()[:200]
        if field.textual:
            found[field] = raw
            continue
        try:
            value = custom_value_clean(field, raw.split(",")[0] if field.type == FieldType.MULTI_SELECT else raw)
        except ValidationError as exc:
            errors[field.param] = " ".join(exc.messages)
            continue
        found[field] = value
    if errors:
        raise ValidationError(errors)
    return found


def custom_filters_apply(qs: QuerySet[M], filters: Mapping[FieldDef, Any]) -> QuerySet[M]:
    for field, value in filters.items():
        if field.textual:
            qs = qs.filter(IContains(KeyTextTransform(field.key, "custom_fields"), value))
        else:
            qs = qs.filter(custom_fields__contains={field.key: value})
    return qs


def custom_filters_problem(exc: ValidationError) -> str:
    return " ".join(exc.messages) or _("Nieprawidłowy filtr.")


def custom_filters_page(qs: QuerySet[M], *, fields: Iterable[FieldDef], params: Mapping[str, Any]) -> QuerySet[M]:
    """`?cf_<key>=` of a list page; a value its field cannot hold matches nothing."""
    if not any(str(key).startswith("cf_") for key in params):
        return qs
    try:
        return custom_filters_apply(qs, custom_filters_read(fields, params))
    except ValidationError:
        return qs.none()
