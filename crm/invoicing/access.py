"""Who sees which invoice and who may do what with it: the one rule for pages and the API.

- Seeing: Szef and Kierownik every invoice; a Pracownik too unless Szef restricted him to
  his own records, then the invoices of the customers he sees (`customers_visible_to`).
  Another company's invoice does not exist here: 404.
- Drafting: anyone, for a customer he sees; a draft is changed or deleted by its owner or
  author, a Kierownik or the Szef.
- Issuing (also converting a pro-forma into an issued VAT invoice): Szef and Kierownik; a
  Pracownik only when Szef allowed it (`CompanySettings.pracownik_may_issue_invoices`).
- E-mailing an issued invoice to the customer: whoever may issue it.
- Correcting and sending to KSeF: Szef and Kierownik.
Refusals are `PermissionDenied` with the reason (403 in pages and the API).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from crm.accounts.access import is_manager, may_change_owned, sees_everything
from crm.accounts.models import User
from crm.company.models import CompanySettings
from crm.contacts.selectors import customers_visible_to
from crm.invoicing.models import Invoice


def invoices_visible_to(user: User, *, everything: bool | None = None) -> QuerySet[Invoice]:
    """Every invoice `user` may open, count and list."""
    invoices = Invoice.objects.all()
    if everything is None:
        everything = sees_everything(user)
    if everything:
        return invoices
    return invoices.filter(customer__in=customers_visible_to(user, everything=False))


def invoice_may_change(user: User, invoice: Invoice) -> bool:
    """May `user` change or delete this draft (issued invoices are never changed)?"""
    return may_change_owned(user, invoice.owner_id, invoice.created_by_id)


def invoice_change_check(user: User, invoice: Invoice) -> None:
    if not invoice_may_change(user, invoice):
        raise PermissionDenied(_("Szkic faktury zmienia jego autor lub opiekun, Kierownik albo Szef."))


def may_issue(user: User) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return is_manager(user) or CompanySettings.current().pracownik_may_issue_invoices


def issue_check(user: User) -> None:
    if not may_issue(user):
        raise PermissionDenied(_("Faktury wystawiają Szef i Kierownik. Szef może na to pozwolić Pracownikom."))


def may_correct(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and is_manager(user))


def correct_check(user: User) -> None:
    if not may_correct(user):
        raise PermissionDenied(_("Faktury korygujące wystawiają Szef i Kierownik."))


def may_send_ksef(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and is_manager(user))


def send_ksef_check(user: User) -> None:
    if not may_send_ksef(user):
        raise PermissionDenied(_("Faktury do KSeF wysyłają Szef i Kierownik."))


def may_send_email(user: User) -> bool:
    """E-mailing an issued invoice to the customer: whoever may issue invoices."""
    return may_issue(user)


def send_email_check(user: User) -> None:
    if not may_send_email(user):
        raise PermissionDenied(_("Faktury e-mailem wysyłają Szef i Kierownik. Szef może na to pozwolić Pracownikom."))
