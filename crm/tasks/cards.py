"""Tasks on other records' cards: the customer's tasks tab and a deal's task list
(registered in `TasksConfig.ready`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from crm.common.records import CardSection, card_section_register
from crm.common.types import AuthedRequest
from crm.tasks.selectors import tasks_visible_to

TAB_LIST_LIMIT = 100


def _customer_tasks(request: AuthedRequest, customer: Any) -> dict[str, Any]:
    tasks = tasks_visible_to(request.user).filter(customer=customer)
    related = tasks.select_related("category", "assignee", "deal")
    return {"tasks": list(related.order_by("done", "due_at", "id")[:TAB_LIST_LIMIT])}


def _deal_tasks(request: AuthedRequest, deal: Any) -> dict[str, Any]:
    tasks = tasks_visible_to(request.user).filter(deal=deal).select_related("category", "assignee")
    return {"tasks": list(tasks.order_by("done", "due_at", "id")[:50])}


def cards_register() -> None:
    card_section_register(
        CardSection(
            host="customer",
            key="tasks",
            label=_("Zadania"),
            template="tasks/customer_tab.html",
            context=_customer_tasks,
            place="tab",
            order=40,
        )
    )
    card_section_register(
        CardSection(
            host="deal",
            key="tasks",
            label=_("Zadania"),
            template="tasks/deal_tasks.html",
            context=_deal_tasks,
            place="main",
            order=20,
        )
    )
