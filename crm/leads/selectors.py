"""Reads of leads: who sees and changes which lead, and the list with its filters.

`leads_visible_to(user)` is the one visibility rule (pages, API, board, search, export),
the same as customers': Szef and Kierownik see every lead, a Pracownik too unless Szef
restricted Pracownik to their own records, then only leads he owns or created. A
Pracownik changes and converts the leads he owns or created; Szef and Kierownik any.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from crm.accounts.access import may_change_owned, sees_everything
from crm.accounts.models import User
from crm.common.search import fold_terms, stored_text_search
from crm.leads.models import Lead, LeadStatus, LeadStatusCode

# What matches a lead whose search_text is still NULL (saved before the column existed):
# the columns of the lead_search_fold_trgm index.
SEARCH_FALLBACK = ("name", "company_name", "email")

# ?ordering= values of the list and the API ("-" first: descending).
ORDERINGS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "company_name": ("company_name", "id"),
    "-company_name": ("-company_name", "-id"),
    "value": ("value", "id"),
    "-value": ("-value", "-id"),
    "created_at": ("created_at", "id"),
    "-created_at": ("-created_at", "-id"),
    "status": ("status__position", "id"),
    "-status": ("-status__position", "-id"),
}
DEFAULT_ORDERING = "-created_at"


def leads_visible_to(user: User, *, everything: bool | None = None) -> QuerySet[Lead]:
    leads = Lead.objects.all()
    if everything is None:
        everything = sees_everything(user)
    if everything:
        return leads
    return leads.filter(Q(owner_id=user.pk) | Q(created_by_id=user.pk))


def lead_may_change(user: User | AnonymousUser, lead: Lead) -> bool:
    return may_change_owned(user, lead.owner_id, lead.created_by_id)


def lead_change_check(user: User | AnonymousUser, lead: Lead) -> None:
    if not lead_may_change(user, lead):
        raise PermissionDenied(_("Zmieniać i konwertować leada może jego opiekun, Kierownik albo Szef."))


def lead_list(
    *,
    user: User,
    query: str = "",
    status_id: int | None = None,
    source_id: int | None = None,
    owner_id: int | None = None,
    open_only: bool = False,
    ordering: str = "",
) -> QuerySet[Lead]:
    leads = leads_visible_to(user)
    terms = fold_terms(query or "", digits=True)
    if terms:
        leads = stored_text_search(leads, field="search_text", terms=terms, fallback=SEARCH_FALLBACK)
    if status_id:
        leads = leads.filter(status_id=status_id)
    if source_id:
        leads = leads.filter(source_id=source_id)
    if owner_id:
        leads = leads.filter(owner_id=owner_id)
    if open_only:
        leads = leads.filter(status__code="")
    order = ORDERINGS.get(ordering or DEFAULT_ORDERING, ORDERINGS[DEFAULT_ORDERING])
    return leads.select_related("status", "source", "owner", "converted_customer").order_by(*order)


def lead_statuses() -> list[LeadStatus]:
    return list(LeadStatus.objects.order_by("position", "id"))


def lead_status_default() -> LeadStatus | None:
    """The status a new lead gets: the first open one of the list."""
    return LeadStatus.objects.filter(code="").order_by("position", "id").first()


def lead_status_by_code(code: LeadStatusCode) -> LeadStatus | None:
    return LeadStatus.objects.filter(code=code).first()
