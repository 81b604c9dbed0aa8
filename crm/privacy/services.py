"""The personal-data export (RODO/GDPR right of access, issue 18): who may ask, and
the activity-log entry every export leaves.

Rank rule: the export is personal data in bulk (every record, note and e-mail about a
person), so only Szef and Kierownik may make it (`crm.accounts.access.may_export_personal_data`):
a Pracownik gets 403 from the API and the page, and the card shows him no button. Before
the rank comes visibility: a person who cannot open the customer's card (another company,
a restricted Pracownik and a colleague's customer) gets 404, as on the card.

Every export is written to the activity log (kind "export", what "personal_data", the
format, the number of records, the customer or contact person as the entry's object).
The page download stays reachable while the company is suspended, as every data export
does (a company must answer an access request whatever its billing state).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from crm.accounts.access import may_export_personal_data, sees_everything
from crm.accounts.models import User
from crm.activity.services import activity_export_record
from crm.contacts.models import ContactPerson, Customer
from crm.contacts.selectors import contacts_visible_to, customers_visible_to
from crm.leads.models import Lead
from crm.leads.selectors import leads_visible_to
from crm.privacy.selectors import contact_personal_data, customer_personal_data, lead_personal_data

REFUSAL = _("Dane osobowe klienta może pobrać tylko Szef lub Kierownik.")


def _rank_check(user: User) -> None:
    if not may_export_personal_data(user):
        raise PermissionDenied(REFUSAL)


def personal_data_customer_for(user: User, pk: int) -> Customer:
    """The customer `pk` if `user` may export its data: 404 when he cannot open it, 403 below Kierownik."""
    customer = get_object_or_404(customers_visible_to(user, everything=sees_everything(user)), pk=pk)
    _rank_check(user)
    return customer


def personal_data_contact_for(user: User, pk: int) -> ContactPerson:
    """The contact person `pk` under the same rules as `personal_data_customer_for`."""
    qs = contacts_visible_to(user, everything=sees_everything(user)).select_related("customer")
    contact = get_object_or_404(qs, pk=pk)
    _rank_check(user)
    return contact


def personal_data_lead_for(user: User, pk: int) -> Lead:
    """The lead `pk` under the same rules as `personal_data_customer_for`."""
    lead = get_object_or_404(leads_visible_to(user), pk=pk)
    _rank_check(user)
    return lead


def _count(data: dict[str, Any]) -> int:
    records = sum(len(group["items"]) for group in data["records"].values())
    return 1 + records + len(data["notes"]) + len(data["files"])


@transaction.atomic
def customer_personal_data_export(*, customer: Customer, actor: User, file_format: str) -> dict[str, Any]:
    """The customer's data (crm.privacy.selectors) and its entry in the activity log."""
    _rank_check(actor)
    data = customer_personal_data(customer=customer, user=actor)
    activity_export_record(
        actor=actor,
        what="personal_data",
        file_format=file_format,
        rows=_count(data),
        filters={"customer": customer.pk},
        obj=customer,
    )
    return data


@transaction.atomic
def contact_personal_data_export(*, contact: ContactPerson, actor: User, file_format: str) -> dict[str, Any]:
    """The contact person's data (crm.privacy.selectors) and its entry in the activity log."""
    _rank_check(actor)
    data = contact_personal_data(contact=contact, user=actor)
    activity_export_record(
        actor=actor,
        what="personal_data",
        file_format=file_format,
        rows=_count(data),
        filters={"contact": contact.pk},
        obj=contact,
    )
    return data


@transaction.atomic
def lead_personal_data_export(*, lead: Lead, actor: User, file_format: str) -> dict[str, Any]:
    """The lead's data (crm.privacy.selectors) and its entry in the activity log."""
    _rank_check(actor)
    data = lead_personal_data(lead=lead, user=actor)
    activity_export_record(
        actor=actor,
        what="personal_data",
        file_format=file_format,
        rows=_count(data),
        filters={"lead": lead.pk},
        obj=lead,
    )
    return data
