"""The project as a record type (see crm.common.records): notes and files, the customer's
timeline, the global search (name), exports, the trash and hand-over on deactivation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crm.common.records import RecordType
from crm.projects.models import Project
from crm.projects.selectors import projects_visible_to

PROJECT = RecordType(
    key="project",
    key_plural="projects",
    model=Project,
    label=_("projekt"),
    label_plural=_("Projekty"),
    visible=projects_visible_to,
    card_url_name="projects:project_detail",
    customer_field="customer",
    search_fields=("name",),
    owner_field="owner",
    handover_label=_("projekty"),
    handover_field_label=_("Projekty przejmuje"),
    has_notes=True,
    export_columns=(
        ("name", _("Nazwa projektu")),
        ("customer", _("Klient")),
        ("status", _("Status")),
        ("billing_type", _("Rozliczenie")),
        ("rate", _("Stawka")),
        ("currency", _("Waluta")),
        ("budget_hours", _("Budżet godzin")),
        ("start_date", _("Data rozpoczęcia")),
        ("deadline", _("Termin")),
        ("owner", _("Opiekun")),
    ),
    timeline_label=_("Nowy projekt"),
    timeline_template="projects/_timeline_item.html",
    icon="bi-kanban",
    list_related=("owner", "customer"),
    position=47,
    custom_fields=True,
)
