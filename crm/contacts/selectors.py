"""Reading customers: who sees which ones, and the filtered, searched, sorted list."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.http import QueryDict

from crm.accounts.access import sees_everything
from crm.accounts.models import User
from crm.common.params import is_int_text
from crm.contacts.models import ContactPerson, Customer, CustomerKind, search_text_for
from crm.customfields.definitions import FieldDef, custom_fields_of
from crm.customfields.filters import custom_filters_apply, custom_filters_read

SORTS: dict[str, tuple[Any, ...]] = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "last_contact": (F("last_contact_at").asc(nulls_last=True), "id"),
    "-last_contact": (F("last_contact_at").desc(nulls_last=True), "-id"),
}
DEFAULT_SORT = "name"
_PHONE_LIKE = re.compile(r"^[\d\s+()./-]+$")


def customers_visible_to(user: User, *, everything: bool | None = None) -> QuerySet[Customer]:
    """The one visibility rule for customers (pages, pickers, search, exports, the API,
    the dashboard, and through them tasks and deals): every customer for Szef/Kierownik
    (and Pracownik unless restricted in Settings); otherwise the customers the user owns
    or owns a deal of. Pass `everything` when already known."""
    if everything is None:
        everything = sees_everything(user)
    qs = Customer.objects.all()
    return qs if everything else qs.filter(customer_own_q(user))


def customer_own_q(user: User | AnonymousUser) -> Q:
    """Customers a restricted Pracownik works with: his own, and those of deals he owns.

    Both halves are indexed columns of the customer table (`owner`, and the GIN-indexed
    `deal_owner_ids` the database keeps from the deals), so PostgreSQL answers with a
    BitmapOr and combines it with the list's other filters and the search. On the bench
    company (100,000 customers, 50,000 deals) EXPLAIN ANALYZE gave, against the former
    `pk IN (customers of his deals)`: count 46 -> 9 ms, count of a search 15 -> 2 ms,
    first page 4 -> 1 ms (a subquery cannot use the owner index, and had to be hashed
    over every deal of his first)."""
    return Q(owner_id=user.pk) | Q(deal_owner_ids__contains=[user.pk])


def contacts_visible_to(user: User, *, everything: bool | None = None) -> QuerySet[ContactPerson]:
    if everything is None:
        everything = sees_everything(user)
    qs = ContactPerson.objects.all()
    return qs if everything else qs.filter(customer__in=customers_visible_to(user, everything=False))


def search_terms(query: str) -> list[str]:
    """Words of a search as matched against Customer.search_text ("Łódź" -> "lodz";
    "600-100-200" -> "600100200")."""
    terms = []
    for word in query.split():
        if _PHONE_LIKE.match(word) and any(ch.isdigit() for ch in word):
            word = re.sub(r"\D", "", word)
        term = search_text_for(word)
        if term:
            terms.append(term)
    return terms[:8]


def customers_search(qs: QuerySet[Customer], query: str) -> QuerySet[Customer]:
    for term in search_terms(query):
        qs = qs.filter(search_text__contains=term)
    return qs


@dataclass
class CustomerFilters:
    """The list's filters as they appear in the URL (bookmarkable)."""

    q: str = ""
    kind: str = ""
    group: int | None = None
    source: int | None = None
    owner: int | None = None
    status: int | None = None
    type: int | None = None
    tag: str = ""
    city: str = ""
    sort: str = DEFAULT_SORT
    extra: dict[str, str] = field(default_factory=dict)
    # ?cf_<key>= filters of custom fields (crm.customfields.filters); a value the field
    # cannot hold is left out here (the API answers it with a 400 before)
    custom: dict[FieldDef, Any] = field(default_factory=dict)

    @classmethod
    def from_query(cls, data: QueryDict | dict[str, str]) -> CustomerFilters:
        def number(key: str) -> int | None:
            value = str(data.get(key) or "").strip()
            return int(value) if is_int_text(value) else None

        kind = str(data.get("kind") or "")
        sort = str(data.get("sort") or DEFAULT_SORT)
        return cls(
            q=str(data.get("q") or "").strip()[:200],
            kind=kind if kind in CustomerKind.values else "",
            group=number("group"),
            source=number("source"),
            owner=number("owner"),
            status=number("status"),
            type=number("type"),
            tag=str(data.get("tag") or "").strip()[:50],
            city=" ".join(str(data.get("city") or "").split())[:100],
            sort=sort if sort in SORTS else DEFAULT_SORT,
            custom=_custom_filters(data),
        )

    @property
    def active(self) -> bool:
        return bool(
            self.q
            or self.kind
            or self.group
            or self.source
            or self.owner
            or self.status
            or self.type
            or self.tag
            or self.city
            or self.custom
        )


def _custom_filters(data: QueryDict | dict[str, str]) -> dict[FieldDef, Any]:
    if not any(str(key).startswith("cf_") for key in data):
        return {}
    try:
        return custom_filters_read(custom_fields_of("customer"), data)
    except ValidationError:
        return {}


def customer_list(*, user: User, filters: CustomerFilters, everything: bool | None = None) -> QuerySet[Customer]:
    """The customers `user` may see, narrowed by `filters` and sorted."""
    qs = customers_visible_to(user, everything=everything)
    if filters.q:
        qs = customers_search(qs, filters.q)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.group:
        qs = qs.filter(groups__id=filters.group)
    for name in ("source", "owner", "status", "type"):
        value = getattr(filters, name)
        if value:
            qs = qs.filter(**{f"{name}_id": value})
    if filters.tag:
        qs = qs.filter(Q(tags__contains=[filters.tag]))
    if filters.city:
        qs = qs.filter(city__iexact=filters.city)
    if filters.custom:
        for custom_field, value in filters.custom.items():
            if custom_field.textual:  # narrowed first by search_text's trigram index (it holds textual values)
                qs = customers_search(qs, value)
        qs = custom_filters_apply(qs, filters.custom)
    return qs.order_by(*SORTS[filters.sort])


def customers_matching(*, user: User, params: QueryDict | dict[str, str]) -> QuerySet[Customer]:
    """Every customer the list page shows for its query parameters (`q`, `status`, ...), on
    all its pages; also the set "select all matching" of a bulk action names (crm.bulk)."""
    return customer_list(user=user, filters=CustomerFilters.from_query(params))


def customer_duplicates(*, tax_id: str = "", email: str = "", exclude_pk: int | None = None) -> QuerySet[Customer]:
    """Customers (of the whole company, regardless of visibility) with the same NIP or e-mail."""
    from crm.contacts.validators import nip_digits

    cond = Q()
    digits = nip_digits(tax_id)
    if digits:
        cond |= Q(tax_id=digits)
    if email:
        cond |= Q(email=email.strip().lower())
    if not cond:
        return Customer.objects.none()
    qs = Customer.objects.filter(cond)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("name")[:5]


def customer_duplicates_shown(*, customers: Iterable[Customer], user: User) -> list[dict[str, Any]]:
    """Duplicates as a warning shows them: `visible` False hides the name of a customer
    `user` may not see (the warning still says one exists)."""
    visible_ids = set(customers_visible_to(user).filter(pk__in=[c.pk for c in customers]).values_list("pk", flat=True))
    return [{"customer": customer, "visible": customer.pk in visible_ids} for customer in customers]


@contextmanager
def search_planner(searching: bool) -> Iterator[None]:
    """Evaluate a searched list inside this block.

    PostgreSQL's default random_page_cost (4, for spinning disks) makes it prefer a
    sequential scan over the trigram index for common words ("lodz" in 5% of rows):
    ~6x slower on 100,000 customers. The company's table lives in memory or on SSD,
    so for these statements only the cost of a random read is set like a page read.
    """
    if not searching:
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL random_page_cost = 1.1")
        yield
