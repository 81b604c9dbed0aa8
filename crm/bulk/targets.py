"""What each list's bulk actions may do: one `BulkTarget` per record type (customer, lead,
deal, task), built from the rules the record apps already have (visibility, who may
change or delete a record, the owner field, the status categories, and the lists' own
filter code for "select all matching")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter

from crm.accounts.access import CustomerAction, may_customers
from crm.accounts.models import User
from crm.categories.models import (
    ContactGroup,
    CustomerStatus,
    DealStatus,
    DealStatusCode,
    stages_for_choice,
)
from crm.contacts.api import LIST_PARAMETERS as CUSTOMER_FILTERS
from crm.contacts.api import customer_api_list
from crm.contacts.selectors import customers_matching, customers_visible_to
from crm.contacts.services import may_delete_customer
from crm.leads.api import LEAD_FILTERS, lead_api_list
from crm.leads.models import LeadStatus, LeadStatusCode
from crm.leads.selectors import lead_may_change, leads_visible_to
from crm.leads.views import lead_list_matching
from crm.notifications.models import NotificationKind
from crm.sales.api import DEAL_FILTERS, deal_api_list
from crm.sales.selectors import deal_may_change, deals_visible_to
from crm.sales.views import deal_list_matching
from crm.tasks.api import TASK_FILTERS, task_api_list
from crm.tasks.selectors import task_may_change, tasks_visible_to
from crm.tasks.views import task_list_matching

ASSIGN, STATUS, STAGE, DONE = "assign", "status", "stage", "done"
GROUP_ADD, GROUP_REMOVE, TAG_ADD, TAG_REMOVE, DELETE = "group_add", "group_remove", "tag_add", "tag_remove", "delete"

ACTION_LABELS: dict[str, str | Promise] = {
    ASSIGN: _("Przypisz opiekuna"),
    STATUS: _("Zmień status"),
    STAGE: _("Zmień etap"),
    DONE: _("Oznacz jako wykonane / niewykonane"),
    GROUP_ADD: _("Dodaj do grupy"),
    GROUP_REMOVE: _("Usuń z grupy"),
    TAG_ADD: _("Dodaj tag"),
    TAG_REMOVE: _("Usuń tag"),
    DELETE: _("Usuń (do kosza)"),
}


@dataclass(frozen=True)
class BulkTarget:
    key: str  # the record type's key (crm.common.records)
    visible: Callable[[User], QuerySet[Any]]
    may_change: Callable[[User, Any], bool]
    may_delete: Callable[[User, Any], bool]
    actions: tuple[str, ...]
    owner_field: str  # "owner", or "assignee" for tasks
    # "Select all matching": every record of the list page for its query parameters (all
    # pages), and of the API list for a request's `filter` (the lists' own filter code).
    page_matching: Callable[..., QuerySet[Any]]
    api_matching: Callable[..., QuerySet[Any]]
    api_filters: tuple[OpenApiParameter, ...]  # the API list's query parameters (besides `cf_<key>`)
    custom_filters: bool  # the list takes `cf_<key>` (custom fields)
    assigned_kind: str = ""  # the notification a single assignment sends ("" none)
    status_choices: Callable[[], QuerySet[Any]] | None = None
    stage_choices: Callable[[], QuerySet[Any]] | None = None
    refusal: str | Promise = ""  # why a record may not be changed


def _customer_may_delete(user: User, customer: Any) -> bool:
    return may_customers(user, CustomerAction.DELETE) and may_delete_customer(user, customer)


TARGETS: dict[str, BulkTarget] = {
    "customer": BulkTarget(
        key="customer",
        visible=customers_visible_to,
        # whoever sees a customer edits it (the card's rule); the owner only by those who see everything
        may_change=lambda user, obj: True,
        may_delete=_customer_may_delete,
        actions=(ASSIGN, STATUS, GROUP_ADD, GROUP_REMOVE, TAG_ADD, TAG_REMOVE, DELETE),
        owner_field="owner",
        page_matching=customers_matching,
        api_matching=customer_api_list,
        api_filters=tuple(CUSTOMER_FILTERS),
        custom_filters=True,
        status_choices=lambda: CustomerStatus.objects.all(),
        refusal=_("Klienta może usunąć jego opiekun, Kierownik albo Szef."),
    ),
    "lead": BulkTarget(
        key="lead",
        visible=leads_visible_to,
        may_change=lead_may_change,
        may_delete=lead_may_change,
        actions=(ASSIGN, STATUS, DELETE),
        owner_field="owner",
        page_matching=lead_list_matching,
        api_matching=lead_api_list,
        api_filters=tuple(LEAD_FILTERS),
        custom_filters=True,
        # converting and losing a lead need their own steps (a customer, a reason)
        status_choices=lambda: LeadStatus.objects.exclude(code__in=LeadStatusCode.values),
        refusal=_("Zmieniać i usuwać leada może jego opiekun, Kierownik albo Szef."),
    ),
    "deal": BulkTarget(
        key="deal",
        visible=deals_visible_to,
        may_change=deal_may_change,
        may_delete=deal_may_change,
        actions=(ASSIGN, STAGE, STATUS, DELETE),
        owner_field="owner",
        page_matching=deal_list_matching,
        api_matching=deal_api_list,
        api_filters=tuple(DEAL_FILTERS),
        custom_filters=True,
        assigned_kind=NotificationKind.DEAL_ASSIGNED,
        # winning and losing need a reason, given on the deal's card
        status_choices=lambda: DealStatus.objects.exclude(code__in=(DealStatusCode.WON, DealStatusCode.LOST)),
        stage_choices=stages_for_choice,
        refusal=_("Zmieniać i usuwać szansę sprzedaży może jej opiekun, Kierownik albo Szef."),
    ),
    "task": BulkTarget(
        key="task",
        visible=tasks_visible_to,
        may_change=task_may_change,
        may_delete=task_may_change,
        actions=(ASSIGN, DONE, DELETE),
        owner_field="assignee",
        page_matching=task_list_matching,
        api_matching=task_api_list,
        api_filters=tuple(TASK_FILTERS),
        custom_filters=False,
        assigned_kind=NotificationKind.TASK_ASSIGNED,
        refusal=_("Zmieniać i usuwać zadanie może jego autor, osoba przypisana, Kierownik albo Szef."),
    ),
}


def groups() -> QuerySet[ContactGroup]:
    return ContactGroup.objects.all()
