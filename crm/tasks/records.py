"""The task as a record type (see crm.common.records)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crm.common.records import RecordType
from crm.tasks.models import Task
from crm.tasks.selectors import tasks_visible_to

TASK = RecordType(
    key="task",
    key_plural="tasks",
    model=Task,
    label=_("zadanie"),
    label_plural=_("Zadania"),
    visible=tasks_visible_to,
    card_url_name="tasks:task_detail",
    customer_field="customer",
    search_fields=("title",),
    category_fields=("category",),
    owner_field="assignee",
    handover_label=_("zadania"),
    handover_field_label=_("Zadania przejmuje"),
    has_notes=True,
    timeline_label=_("Zadanie"),
    timeline_template="tasks/_timeline_item.html",
    icon="bi-check2-square",
    list_related=("assignee", "category", "deal"),
    position=20,
)
