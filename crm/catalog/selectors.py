"""Reads of the catalogue: every member of staff sees every product (a price list is
not private); the list's search folds case and Polish diacritics."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from crm.accounts.access import is_manager
from crm.accounts.models import User
from crm.catalog.models import Product
from crm.common.search import SearchFold, fold_terms

PICKER_LIMIT = 20


def products_visible_to(user: User) -> QuerySet[Product]:
    return Product.objects.all()


def product_may_manage(user: User | AnonymousUser) -> bool:
    """Szef and Kierownik add, change and deactivate products; a Pracownik reads them."""
    return bool(user and user.is_authenticated and user.is_active and is_manager(user))


def product_manage_check(user: User | AnonymousUser) -> None:
    if not product_may_manage(user):
        raise PermissionDenied(_("Produkty i usługi dodaje i zmienia Szef albo Kierownik."))


def products_search(products: QuerySet[Product], query: str) -> QuerySet[Product]:
    terms = fold_terms(query or "")
    if not terms:
        return products
    products = products.annotate(_fold=SearchFold("name", "pkwiu"))
    for term in terms:
        products = products.filter(_fold__contains=term)
    return products


def product_list(*, user: User, query: str = "", active: bool | None = True) -> QuerySet[Product]:
    """Products matching `query` (name or PKWiU); `active` None lists every product."""
    products = products_search(products_visible_to(user), query)
    if active is not None:
        products = products.filter(active=active)
    return products.order_by("name", "id")


def product_choices(*, user: User, query: str, limit: int = PICKER_LIMIT) -> list[Product]:
    """Active products for the picker of document lines."""
    return list(product_list(user=user, query=query, active=True)[:limit])
