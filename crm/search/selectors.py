"""The global search: every registered record type (crm.common.records) that declares
what to search, narrowed to what the user may see (the type's own `visible` selector),
matched without case or Polish diacritics. A new record type takes part by declaring
`search_fields` (and a trigram index on SearchFold of them) in its RecordType."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from crm.common.records import RecordType, record_types
from crm.common.search import SearchFold, fold_terms, stored_text_search

if TYPE_CHECKING:
    from crm.accounts.models import User

PER_TYPE = 5
MIN_LENGTH = 3  # trigram indexes need a word of 3 letters; shorter queries answer nothing


@dataclass(frozen=True)
class SearchHit:
    title: str
    subtitle: str
    url: str


@dataclass
class SearchGroup:
    key: str
    label: str | Promise
    icon: str
    hits: list[SearchHit] = field(default_factory=list)
    more: bool = False  # more than PER_TYPE found


def searchable_types() -> list[RecordType]:
    return [t for t in record_types() if t.in_global_search and (t.search_text_field or t.search_fields)]


def query_is_searchable(query: str) -> bool:
    return any(len(term) >= MIN_LENGTH for term in fold_terms(query))


def _matches(record_type: RecordType, user: User, query: str) -> QuerySet[Any]:
    qs = record_type.visible(user)
    if record_type.search_text_field:
        # a nullable column is still being backfilled: its NULL rows are matched on search_fields
        nullable = bool(getattr(record_type.model._meta.get_field(record_type.search_text_field), "null", False))
        return stored_text_search(
            qs,
            field=record_type.search_text_field,
            terms=fold_terms(query, digits=True),
            fallback=record_type.search_fields if nullable else (),
        )
    field = record_type.search_fold_field
    if not field:
        qs, field = qs.annotate(_search_fold=SearchFold(*record_type.search_fields)), "_search_fold"
    for term in fold_terms(query):
        qs = qs.filter(**{f"{field}__contains": term})
    return qs


def _hit(record_type: RecordType, obj: Model) -> SearchHit:
    subtitle = ""
    if record_type.customer_field:
        subtitle = str(getattr(obj, record_type.customer_field, "") or "")
    return SearchHit(title=str(obj), subtitle=subtitle, url=record_type.card_url(obj))


def global_search(*, user: User, query: str, per_type: int = PER_TYPE) -> list[SearchGroup]:
    """Up to `per_type` hits of each record type `user` may see, grouped by type
    (types in their registry order; groups without hits left out)."""
    if not query_is_searchable(query):
        return []
    groups = []
    for record_type in searchable_types():
        qs = _matches(record_type, user, query)
        if record_type.customer_field:
            qs = qs.select_related(record_type.customer_field)
        found = list(qs[: per_type + 1])
        if found:
            groups.append(
                SearchGroup(
                    key=record_type.key,
                    label=record_type.label_plural,
                    icon=record_type.icon,
                    hits=[_hit(record_type, obj) for obj in found[:per_type]],
                    more=len(found) > per_type,
                )
            )
    return groups
