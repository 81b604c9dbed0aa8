"""What time tracking adds to other cards: the "Czas pracy" block of the project card
(hours against the budget, the unbilled amount, the entries, the timer and the invoice
action) and the timer button on the card of a task in a project."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from crm.common.records import CardSection, card_section_register
from crm.common.types import AuthedRequest
from crm.timetracking.forms import InvoiceTimeForm
from crm.timetracking.selectors import project_time, projects_visible_to, running_entry, time_entry_list
from crm.timetracking.services import invoice_may_bill

SECTION_ENTRIES = 20


def project_section_context(request: AuthedRequest, project: Any) -> dict[str, Any]:
    entries = time_entry_list(user=request.user, project_id=project.pk)
    return {
        "project": project,
        "time": project_time(project),
        "entries": list(entries[:SECTION_ENTRIES]),
        "entries_count": entries.count(),
        "running": running_entry(request.user),
        "may_log": projects_visible_to(request.user).filter(pk=project.pk).exists(),
        "may_bill": invoice_may_bill(request.user),
        "invoice_form": InvoiceTimeForm(),
    }


def _task_section(request: AuthedRequest, task: Any) -> dict[str, Any]:
    entries = time_entry_list(user=request.user, project_id=task.project_id, task_id=task.pk)
    return {
        "task": task,
        "minutes": sum(entry.minutes for entry in entries),
        "running": running_entry(request.user),
        "may_log": projects_visible_to(request.user).filter(pk=task.project_id).exists(),
    }


def cards_register() -> None:
    card_section_register(
        CardSection(
            host="project",
            key="time",
            label=_("Czas pracy"),
            template="timetracking/project_section.html",
            context=project_section_context,
            place="main",
            order=30,
        )
    )
    card_section_register(
        CardSection(
            host="task",
            key="time",
            label=_("Czas pracy"),
            template="timetracking/task_section.html",
            context=_task_section,
            place="main",
            order=30,
            available=lambda task: getattr(task, "project_id", None) is not None,
        )
    )
