"""Reads of deals: who sees which deal, the pipeline board, the list of deals.

`deals_visible_to(user)` is the one visibility rule for deals (pages, API, the
dashboard): Szef and Kierownik see every deal; a Pracownik too, unless Szef
restricted Pracownik to their own records, then only deals they own.
`deal_change_check` is the one rule for changing and deleting a deal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from crm.accounts.access import may_change_owned, sees_everything
from crm.accounts.models import User
from crm.categories.models import DealStatus, DealStatusCode, Pipeline
from crm.sales.models import Deal

# Orders of the deal list and the API (`?sort=` / `?ordering=`); names in Polish order
# (the column's ICU collation), each with the id as tie-break so pages never overlap.
DEAL_SORTS: dict[str, tuple[Any, ...]] = {
    "-created": ("-created_at", "-id"),
    "created": ("created_at", "id"),
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "value": ("value", "id"),
    "-value": ("-value", "-id"),
    "expected_close": (F("expected_close").asc(nulls_last=True), "id"),
    "-expected_close": (F("expected_close").desc(nulls_last=True), "-id"),
}
DEAL_DEFAULT_SORT = "-created"


def deals_visible_to(user: User, *, everything: bool | None = None) -> QuerySet[Deal]:
    """Every deal `user` may see (and therefore open and count). A restricted
    Pracownik sees the deals he owns; their customers are visible to him too
    (`customers_visible_to`), so a deal never shows a hidden customer's name."""
    deals = Deal.objects.all()
    if everything is None:
        everything = sees_everything(user)
    if everything:
        return deals
    return deals.filter(owner_id=user.pk)


def deal_may_change(user: User | AnonymousUser, deal: Deal) -> bool:
    """Szef and Kierownik change and delete every deal they see; a Pracownik his own."""
    return may_change_owned(user, deal.owner_id)


def deal_change_check(user: User | AnonymousUser, deal: Deal) -> None:
    """PermissionDenied (403) unless `user` may change or delete `deal`."""
    if not deal_may_change(user, deal):
        raise PermissionDenied(_("Zmieniać i usuwać szansę sprzedaży może jej opiekun, Kierownik albo Szef."))


def open_status_ids() -> list[int]:
    """Ids of the statuses of the open pipeline (lets the board use the deal indexes)."""
    return list(DealStatus.objects.filter(open_status_q()).values_list("id", flat=True))


def open_status_q() -> Q:
    return Q(code=DealStatusCode.IN_PROGRESS) | Q(code="")


def top_ids_per_group(queryset: QuerySet[Any], *, groups: list[Q], order_by: Sequence[Any], limit: int) -> list[int]:
    """Ids of the first `limit` rows (by `order_by`) of `queryset` in each group, in one
    UNION ALL query: every part is a short index scan, whatever the size of the table."""
    parts = [queryset.filter(group).order_by(*order_by).values_list("id", flat=True)[:limit] for group in groups]
    if not parts:
        return []
    if len(parts) == 1:
        return list(parts[0])
    return list(parts[0].union(*parts[1:], all=True))


def open_deals_q() -> Q:
    """Deals still in the open pipeline: W toku or a custom status (no code)."""
    return Q(status__code=DealStatusCode.IN_PROGRESS) | Q(status__code="")


def deals_in_pipeline_q(pipeline: Pipeline, *, stage_ids: list[int] | None = None) -> Q:
    """Deals of `pipeline`: those on its stages (`stage_ids` when the caller has them,
    saving a join), and those without a stage that belong to it (deals older than
    pipelines, without a stage, belong to the default one)."""
    on_stage = Q(stage_id__in=stage_ids) if stage_ids is not None else Q(stage__pipeline_id=pipeline.pk)
    return on_stage | deals_without_stage_q(pipeline)


def deals_without_stage_q(pipeline: Pipeline) -> Q:
    cond = Q(pipeline_id=pipeline.pk)
    if pipeline.is_default:
        cond |= Q(pipeline__isnull=True)
    return Q(stage__isnull=True) & cond


def deals_filtered(
    deals: QuerySet[Deal], *, owner_id: int | None = None, category_id: int | None = None
) -> QuerySet[Deal]:
    if owner_id:
        deals = deals.filter(owner_id=owner_id)
    if category_id:
        deals = deals.filter(category_id=category_id)
    return deals


def deal_list(
    *,
    user: User,
    status_id: int | None = None,
    status_code: str | None = None,
    owner_id: int | None = None,
    category_id: int | None = None,
    customer_id: int | None = None,
    stage_id: int | None = None,
    pipeline: Pipeline | None = None,
    sort: str = DEAL_DEFAULT_SORT,
) -> QuerySet[Deal]:
    """Deals `user` may see, filtered, in the order `sort` names (DEAL_SORTS; newest first
    for an unknown one)."""
    deals = deals_filtered(deals_visible_to(user), owner_id=owner_id, category_id=category_id)
    if status_id:
        deals = deals.filter(status_id=status_id)
    if status_code == "open":
        deals = deals.filter(open_deals_q())
    elif status_code:
        deals = deals.filter(status__code=status_code)
    if customer_id:
        deals = deals.filter(customer_id=customer_id)
    if stage_id:
        deals = deals.filter(stage_id=stage_id)
    if pipeline is not None:
        deals = deals.filter(deals_in_pipeline_q(pipeline))
    order = DEAL_SORTS.get(sort, DEAL_SORTS[DEAL_DEFAULT_SORT])
    return deals.select_related("customer", "owner", "category", "status", "stage").order_by(*order)


def deals_of_customer(*, user: User, customer_id: int) -> QuerySet[Deal]:
    """Deals of one customer that `user` may see (for the customer card's sales tab)."""
    return deal_list(user=user, customer_id=customer_id)
