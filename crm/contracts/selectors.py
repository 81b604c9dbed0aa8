"""Reads of contracts: who sees and changes which contract, the list, the public page's
lookup, the text a signature covers, and what the daily job looks at.

`contracts_visible_to(user)` is the one visibility rule (pages, API, cards, notes, search),
the same as offers': Szef and Kierownik see every contract, a Pracownik too unless Szef
restricted Pracownik to their own records, then only contracts he owns or created. A
Pracownik changes the contracts he owns or created; Szef and Kierownik every contract.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from crm.accounts.access import may_change_owned, sees_everything
from crm.accounts.models import User
from crm.common.search import SearchFold, fold_terms
from crm.contracts.models import Contract, ContractStatus

# The customer signs only what was sent and is not signed yet.
SIGNABLE = (ContractStatus.SENT,)
# Contracts running: the owner is reminded before their end.
RUNNING = (ContractStatus.SIGNED, ContractStatus.ACTIVE)


def contracts_visible_to(user: User, *, everything: bool | None = None) -> QuerySet[Contract]:
    contracts = Contract.objects.all()
    if everything is None:
        everything = sees_everything(user)
    if everything:
        return contracts
    return contracts.filter(Q(owner_id=user.pk) | Q(created_by_id=user.pk))


def contract_may_change(user: User | AnonymousUser, contract: Contract) -> bool:
    return may_change_owned(user, contract.owner_id, contract.created_by_id)


def contract_change_check(user: User | AnonymousUser, contract: Contract) -> None:
    if not contract_may_change(user, contract):
        raise PermissionDenied(_("Zmieniać i wysyłać umowę może jej opiekun, Kierownik albo Szef."))


def contract_list(
    *,
    user: User,
    query: str = "",
    status: str = "",
    type_id: int | None = None,
    customer_id: int | None = None,
    deal_id: int | None = None,
    owner_id: int | None = None,
    created_from: date | None = None,
) -> QuerySet[Contract]:
    contracts = contracts_visible_to(user)
    if created_from is not None:  # a local date (the home page's "new contracts" link)
        contracts = contracts.filter(created_at__date__gte=created_from)
    terms = fold_terms(query or "")
    if terms:
        contracts = contracts.annotate(_fold=SearchFold("subject", "customer__name"))
        for term in terms:
            contracts = contracts.filter(_fold__contains=term)
    if status:
        contracts = contracts.filter(status=status)
    if type_id:
        contracts = contracts.filter(type_id=type_id)
    if customer_id:
        contracts = contracts.filter(customer_id=customer_id)
    if deal_id:
        contracts = contracts.filter(deal_id=deal_id)
    if owner_id:
        contracts = contracts.filter(owner_id=owner_id)
    return contracts.select_related("customer", "deal", "owner", "type").order_by("-start_date", "-id")


def contract_by_token(token: str) -> Contract | None:
    """The contract whose public page is /c/<token>/ in the active company, never a draft."""
    if not token or len(token) > 64:
        return None
    return (
        Contract.objects.filter(public_token=token)
        .exclude(status=ContractStatus.DRAFT)
        .select_related("customer", "owner", "created_by", "type")
        .first()
    )


def contract_text(contract: Contract) -> str:
    """The text the customer reads and signs: what its SHA-256 covers."""
    parts = [
        f"subject: {contract.subject}",
        f"customer: {contract.customer.name}",
        f"type: {contract.type.name if contract.type else ''}",
        f"value: {contract.value} {contract.currency}",
        f"start_date: {contract.start_date.isoformat() if contract.start_date else ''}",
        f"end_date: {contract.end_date.isoformat() if contract.end_date else ''}",
        f"description: {contract.description}",
    ]
    return "\n".join(parts)


def contract_hash(contract: Contract) -> str:
    return hashlib.sha256(contract_text(contract).encode("utf-8")).hexdigest()


def contract_history(contract: Contract) -> list[Contract]:
    """The chain of renewals `contract` belongs to, oldest first (at most 50 links)."""
    first = contract
    seen = {contract.pk}
    while first.renewed_from_id and len(seen) < 50:
        previous = Contract.objects.filter(pk=first.renewed_from_id).first()
        if previous is None or previous.pk in seen:
            break
        seen.add(previous.pk)
        first = previous
    chain = [first]
    while len(chain) < 50:
        following = Contract.objects.filter(renewed_from=chain[-1]).order_by("id").first()
        if following is None or following.pk in {c.pk for c in chain}:
            break
        chain.append(following)
    return chain


def contracts_to_remind(today: date, days: int) -> QuerySet[Contract]:
    """Running contracts ending within `days` from `today` whose owner was not reminded."""
    return Contract.objects.filter(
        status__in=RUNNING,
        reminded_at__isnull=True,
        end_date__isnull=False,
        end_date__gte=today,
        end_date__lte=today + timedelta(days=days),
    )
