"""What a note or file can be attached to, and who may see it.

A target is (kind, id) with kind a registered record type (crm.common.records) that
the notes models have a column for (`TARGET_KINDS`). Every view resolves it through
that type's visibility rule, so another company's id, or a record a restricted
Pracownik may not see, is a 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from crm.accounts.access import is_manager
from crm.accounts.models import User
from crm.common.records import record_type, record_type_of

# One foreign key per kind on Note, Attachment and TimelineEvent (TargetedMixin).
TARGET_KINDS = ("customer", "deal", "task")


def target_get(*, user: User, kind: str, pk: int) -> Model:
    """The record `pk` of type `kind` if the user may see it, else Http404."""
    if kind not in TARGET_KINDS:
        raise Http404
    rtype = record_type(kind)
    qs: QuerySet[Any] = rtype.visible(user)
    if rtype.customer_field:
        qs = qs.select_related(rtype.customer_field)
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def target_kind_of(obj: Model) -> str:
    try:
        kind = record_type_of(obj).key
    except KeyError:
        kind = ""
    if kind not in TARGET_KINDS:
        raise TypeError(f"not a note target: {type(obj).__name__}")
    return kind


def target_fields(obj: Model) -> dict[str, Any]:
    """Foreign-key values for a note/file on `obj` (customer denormalised for the timeline)."""
    kind = target_kind_of(obj)
    if kind == "customer":
        return {"customer": obj}
    return {kind: obj, "customer_id": record_type(kind).customer_id_of(obj)}


def target_filter(obj: Model) -> Q:
    kind = target_kind_of(obj)
    if kind == "customer":
        return Q(customer=obj, deal__isnull=True, task__isnull=True)
    return Q(**{kind: obj})


def may_change(user: User, author_id: int | None) -> bool:
    """Authors change their own notes and files; Szef and Kierownik anyone's."""
    return bool(author_id and author_id == user.pk) or is_manager(user)
