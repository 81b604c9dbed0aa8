"""What a note or file can be attached to, and who may see it.

A target is (kind, id) with kind in customer / deal / task. Every view resolves
it through the visibility selectors, so another company's id, or a record a
restricted Pracownik may not see, is a 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from crm.accounts.models import Role
from crm.contacts.models import Customer
from crm.contacts.selectors import customers_visible_to
from crm.sales.models import Deal
from crm.sales.selectors import deals_visible_to
from crm.tasks.models import Task
from crm.tasks.selectors import tasks_visible_to

TARGET_KINDS = ("customer", "deal", "task")


def deals_visible(user: Any) -> QuerySet[Deal]:
    return deals_visible_to(user)


def tasks_visible(user: Any) -> QuerySet[Task]:
    return tasks_visible_to(user)


def target_get(*, user: Any, kind: str, pk: int) -> Model:
    """The customer, deal or task `pk` if the user may see it, else Http404."""
    qs: QuerySet[Any]
    if kind == "customer":
        qs = customers_visible_to(user)
    elif kind == "deal":
        qs = deals_visible(user).select_related("customer")
    elif kind == "task":
        qs = tasks_visible(user).select_related("customer")
    else:
        raise Http404
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def target_kind_of(obj: Model) -> str:
    if isinstance(obj, Customer):
        return "customer"
    if isinstance(obj, Deal):
        return "deal"
    if isinstance(obj, Task):
        return "task"
    raise TypeError(f"not a note target: {type(obj).__name__}")


def target_fields(obj: Model) -> dict[str, Any]:
    """Foreign-key values for a note/file on `obj` (customer denormalised for the timeline)."""
    kind = target_kind_of(obj)
    if kind == "customer":
        return {"customer": obj}
    customer_id = getattr(obj, "customer_id", None)
    return {kind: obj, "customer_id": customer_id}


def target_filter(obj: Model) -> Q:
    kind = target_kind_of(obj)
    if kind == "customer":
        return Q(customer=obj, deal__isnull=True, task__isnull=True)
    return Q(**{kind: obj})


def may_change(user: Any, author_id: int | None) -> bool:
    """Authors change their own notes and files; Szef and Kierownik anyone's."""
    return bool(author_id and author_id == user.pk) or getattr(user, "role", None) in (Role.SZEF, Role.KIEROWNIK)
