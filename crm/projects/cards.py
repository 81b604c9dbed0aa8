"""What projects add to other cards: the "Projekty" tab of the customer card.
Registered in `ProjectsConfig.ready`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from crm.common.records import CardSection, card_section_register
from crm.common.types import AuthedRequest
from crm.projects.selectors import projects_visible_to, with_progress

TAB_LIST_LIMIT = 100


def _customer_projects(request: AuthedRequest, customer: Any) -> dict[str, Any]:
    projects = with_progress(projects_visible_to(request.user).filter(customer=customer)).select_related("owner")
    return {
        "projects": list(projects.order_by("name", "id")[:TAB_LIST_LIMIT]),
        "create_query": f"customer={customer.pk}",
    }


def cards_register() -> None:
    card_section_register(
        CardSection(
            host="customer",
            key="projects",
            label=_("Projekty"),
            template="projects/customer_tab.html",
            context=_customer_projects,
            place="tab",
            order=38,
        )
    )
