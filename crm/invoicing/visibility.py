"""Who sees payments, and who may record them and manage recurring invoices and reminders
(payments side of issue 14).

A payment is seen by whoever sees its invoice (`crm.invoicing.access.invoices_visible_to`).
Writing money facts (payments, recurring invoices, reminders) is for Szef and Kierownik;
a Pracownik reads them. Another company's invoice simply does not exist here: 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from crm.accounts.access import is_manager
from crm.accounts.models import User
from crm.invoicing.access import invoices_visible_to
from crm.invoicing.models import Payment


def payments_visible_to(user: User) -> QuerySet[Payment]:
    return Payment.objects.filter(invoice__in=invoices_visible_to(user))


def may_manage_money(user: User) -> bool:
    """Record and delete payments, make invoices recurring, send reminders: Szef, Kierownik."""
    return bool(user.is_authenticated and user.is_active and is_manager(user))


def money_manage_check(user: User) -> None:
    if not may_manage_money(user):
        raise PermissionDenied(_("Płatności, faktury cykliczne i przypomnienia prowadzą Szef i Kierownik."))
