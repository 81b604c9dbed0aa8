"""Reads of offers: who sees and changes which offer, the list, the public page's lookup.

`offers_visible_to(user)` is the one visibility rule (pages, API, cards, notes, search):
Szef and Kierownik see every offer, a Pracownik too unless Szef restricted Pracownik to
their own records, then only offers he owns or created. A Pracownik changes (and sends)
the offers he owns or created; Szef and Kierownik every offer.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from crm.accounts.access import may_change_owned, sees_everything
from crm.accounts.models import User
from crm.common.search import SearchFold, fold_terms
from crm.offers.models import Offer, OfferStatus

# Answers and expiry are only possible while the customer is still to decide.
AWAITING = (OfferStatus.SENT, OfferStatus.VIEWED)


def offers_visible_to(user: User, *, everything: bool | None = None) -> QuerySet[Offer]:
    offers = Offer.objects.all()
    if everything is None:
        everything = sees_everything(user)
    if everything:
        return offers
    return offers.filter(Q(owner_id=user.pk) | Q(created_by_id=user.pk))


def offer_may_change(user: User | AnonymousUser, offer: Offer) -> bool:
    return may_change_owned(user, offer.owner_id, offer.created_by_id)


def offer_change_check(user: User | AnonymousUser, offer: Offer) -> None:
    if not offer_may_change(user, offer):
        raise PermissionDenied(_("Zmieniać i wysyłać ofertę może jej opiekun, Kierownik albo Szef."))


def offer_list(
    *,
    user: User,
    query: str = "",
    status: str = "",
    customer_id: int | None = None,
    deal_id: int | None = None,
    owner_id: int | None = None,
) -> QuerySet[Offer]:
    offers = offers_visible_to(user)
    terms = fold_terms(query or "")
    if terms:
        offers = offers.annotate(_fold=SearchFold("number", "title", "customer__name"))
        for term in terms:
            offers = offers.filter(_fold__contains=term)
    if status:
        offers = offers.filter(status=status)
    if customer_id:
        offers = offers.filter(customer_id=customer_id)
    if deal_id:
        offers = offers.filter(deal_id=deal_id)
    if owner_id:
        offers = offers.filter(owner_id=owner_id)
    return offers.select_related("customer", "deal", "owner").order_by("-issue_date", "-id")


def offer_by_token(token: str) -> Offer | None:
    """The offer whose public page is /o/<token>/ in the active company, never a draft."""
    if not token or len(token) > 64:
        return None
    offer = (
        Offer.objects.filter(public_token=token)
        .exclude(status=OfferStatus.DRAFT)
        .select_related("customer", "owner", "created_by", "deal")
        .first()
    )
    return offer


def offer_is_past_validity(offer: Offer, today: date) -> bool:
    return offer.valid_until is not None and offer.valid_until < today


def offers_to_expire(today: date) -> QuerySet[Offer]:
    """Offers still awaiting an answer whose validity ended before `today`."""
    return Offer.objects.filter(status__in=AWAITING, valid_until__lt=today)
