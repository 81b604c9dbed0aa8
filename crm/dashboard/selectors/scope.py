"""Who sees what: the querysets every dashboard figure starts from, and small shared types."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from crm.accounts.access import sees_everything
from crm.accounts.models import User
from crm.contacts.models import Customer
from crm.contacts.selectors import customers_visible_to
from crm.contracts.models import Contract
from crm.contracts.selectors import contracts_visible_to
from crm.sales.models import Deal
from crm.sales.selectors import deals_visible_to
from crm.tasks.models import Task
from crm.tasks.selectors import tasks_visible_to

NO_CATEGORY_COLOR = "#adb5bd"
Totals = list[tuple[str, Decimal]]  # (currency, sum), PLN first


@dataclass
class Scope:
    """What one user may see; querysets are lazy, so building a Scope costs at most
    the one CompanySettings read of the visibility switch (deals add their own)."""

    user: User
    everything: bool
    customers: QuerySet[Customer]
    deals: QuerySet[Deal]
    tasks: QuerySet[Task]
    contracts: QuerySet[Contract]


def scope_for(user: User) -> Scope:
    everything = sees_everything(user)
    return Scope(
        user=user,
        everything=everything,
        customers=customers_visible_to(user, everything=everything),
        deals=deals_visible_to(user, everything=everything),
        tasks=tasks_visible_to(user, everything=everything),
        contracts=contracts_visible_to(user, everything=everything),
    )


def totals_sorted(per_currency: dict[str, Decimal]) -> Totals:
    return sorted(((c, v) for c, v in per_currency.items() if v or c == "PLN"), key=lambda i: (i[0] != "PLN", i[0]))


@dataclass
class ChartItem:
    label: str
    value: Decimal | int
    color: str = NO_CATEGORY_COLOR
    key: str = ""
    note: str = ""
