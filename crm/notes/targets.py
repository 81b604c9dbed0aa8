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

from crm.accounts.models import User
from crm.common.records import RecordType, record_type, record_type_of
from crm.notes.models import LINKED_KINDS

# One foreign key per kind on Note, Attachment and TimelineEvent (TargetedMixin). A kind
# whose app has not registered its record type yet (the invoice) takes no notes until it does.
TARGET_KINDS = ("customer", "deal", "task", "offer", "invoice", "contract", "ticket", "project", "lead")


def registered_type(kind: str) -> RecordType | None:
    try:
        return record_type(kind)
    except KeyError:
        return None


def target_get(*, user: User, kind: str, pk: int) -> Model:
    """The record `pk` of type `kind` if the user may see it, else Http404."""
    rtype = registered_type(kind) if kind in TARGET_KINDS else None
    if rtype is None:
        raise Http404
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
        return Q(customer=obj, **{f"{linked}__isnull": True for linked in LINKED_KINDS})
    return Q(**{kind: obj})
