"""Reads of deals: who sees which deal, the pipeline board, the list of deals.

`deals_visible_to(user)` is the one visibility rule for deals (pages, API, the
dashboard): Szef and Kierownik see every deal; a Pracownik too, unless Szef
restricted Pracownik to their own records, then only deals they own.
`deal_change_check` is the one rule for changing and deleting a deal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from crm.accounts.access import may_change_owned, sees_everything
from crm.accounts.models import User
from crm.categories.models import DealStage, DealStatus, DealStatusCode
from crm.sales.models import Deal

BOARD_CARDS_PER_COLUMN = 30  # the rest of a column is one click away, in the list
# What a board card shows: fewer columns to read and parse for 50 cards x every stage.
CARD_FIELDS = (
    "id",
    "name",
    "value",
    "currency",
    "stage_id",
    "status_id",
    "updated_at",
    "expected_close",
    "customer",
    "customer__name",
    "owner",
    "owner__name",
    "owner__email",
    "category",
    "category__name",
    "category__color",
)


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


def deals_filtered(
    deals: QuerySet[Deal], *, owner_id: int | None = None, category_id: int | None = None
) -> QuerySet[Deal]:
    if owner_id:
        deals = deals.filter(owner_id=owner_id)
    if category_id:
        deals = deals.filter(category_id=category_id)
    return deals


@dataclass
class BoardColumn:
    stage: DealStage | None
    count: int = 0
    totals: list[tuple[str, Decimal]] = field(default_factory=list)  # (currency, sum), PLN first
    deals: list[Deal] = field(default_factory=list)

    @property
    def key(self) -> str:
        return str(self.stage.pk) if self.stage else ""


def _totals_sorted(per_currency: dict[str, Decimal]) -> list[tuple[str, Decimal]]:
    return sorted(per_currency.items(), key=lambda item: (item[0] != "PLN", item[0]))


def pipeline_totals(
    deals: QuerySet[Deal], *, open_ids: list[int] | None = None
) -> dict[int | None, tuple[int, list[tuple[str, Decimal]]]]:
    """Count and per-currency sum of open deals per stage id."""
    open_ids = open_status_ids() if open_ids is None else open_ids
    rows = (
        deals.filter(status_id__in=open_ids).values("stage_id", "currency").annotate(n=Count("id"), total=Sum("value"))
    )
    counts: dict[int | None, int] = defaultdict(int)
    sums: dict[int | None, dict[str, Decimal]] = defaultdict(dict)
    for row in rows.order_by():
        counts[row["stage_id"]] += row["n"]
        sums[row["stage_id"]][row["currency"]] = row["total"] or Decimal("0")
    return {stage_id: (counts[stage_id], _totals_sorted(sums[stage_id])) for stage_id in counts}


def pipeline_board(
    *, user: User, owner_id: int | None = None, category_id: int | None = None, per_column: int = BOARD_CARDS_PER_COLUMN
) -> list[BoardColumn]:
    """Columns of the pipeline board: one per stage (plus "no stage" when such deals
    exist), each with its count, sums and the `per_column` most recently changed
    open deals. A fixed number of queries whatever the number of deals."""
    deals = deals_filtered(deals_visible_to(user), owner_id=owner_id, category_id=category_id)
    open_ids = open_status_ids()
    totals = pipeline_totals(deals, open_ids=open_ids)
    columns: dict[int | None, BoardColumn] = {
        stage.pk: BoardColumn(stage=stage) for stage in DealStage.objects.order_by("position", "id")
    }
    if totals.get(None):
        columns[None] = BoardColumn(stage=None)
    for stage_id, (count, sums) in totals.items():
        if stage_id in columns:
            columns[stage_id].count = count
            columns[stage_id].totals = sums
    open_deals = deals.filter(status_id__in=open_ids)
    order = ("-updated_at", "-id")
    groups = [Q(stage_id=key) if key is not None else Q(stage_id__isnull=True) for key in columns]
    ids = top_ids_per_group(open_deals, groups=groups, order_by=order, limit=per_column)
    cards = Deal.objects.filter(pk__in=ids).select_related("customer", "owner", "category").only(*CARD_FIELDS)
    for deal in sorted(cards, key=lambda d: (d.updated_at, d.pk), reverse=True):
        if deal.stage_id in columns:
            columns[deal.stage_id].deals.append(deal)
    return list(columns.values())


def deal_list(
    *,
    user: User,
    status_id: int | None = None,
    status_code: str | None = None,
    owner_id: int | None = None,
    category_id: int | None = None,
    customer_id: int | None = None,
    stage_id: int | None = None,
) -> QuerySet[Deal]:
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
    return deals.select_related("customer", "owner", "category", "status", "stage").order_by("-created_at", "-id")


def deals_of_customer(*, user: User, customer_id: int) -> QuerySet[Deal]:
    """Deals of one customer that `user` may see (for the customer card's sales tab)."""
    return deal_list(user=user, customer_id=customer_id)
