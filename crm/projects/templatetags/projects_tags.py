"""Template helpers of projects: `{% project_status project %}` (the status as a badge) and
`{% project_progress done total %}` (tasks done of all, as a bar with the figures)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from crm.projects.models import Project, ProjectStatus
from crm.projects.selectors import progress_percent

register = template.Library()

BADGES: dict[str, str] = {
    ProjectStatus.NOT_STARTED: "text-bg-secondary",
    ProjectStatus.IN_PROGRESS: "text-bg-primary",
    ProjectStatus.ON_HOLD: "text-bg-warning",
    ProjectStatus.FINISHED: "text-bg-success",
    ProjectStatus.CANCELLED: "text-bg-danger",
}


@register.simple_tag
def project_status(project: Project) -> SafeString:
    return format_html(
        '<span class="badge {}" data-testid="project-status" data-status="{}">{}</span>',
        BADGES.get(project.status, "text-bg-secondary"),
        project.status,
        project.get_status_display(),
    )


@register.simple_tag
def project_progress(done: int | None, total: int | None) -> SafeString:
    done, total = done or 0, total or 0
    percent = progress_percent(done, total)
    label = _("%(done)s z %(total)s zadań wykonanych (%(percent)s%%)") % {
        "done": done,
        "total": total,
        "percent": percent,
    }
    return format_html(
        '<span class="d-inline-flex align-items-center gap-2" data-testid="project-progress" data-percent="{}">'
        '<progress max="100" value="{}" aria-label="{}">{}%</progress><span>{}/{}</span></span>',
        percent,
        percent,
        label,
        percent,
        done,
        total,
    )
