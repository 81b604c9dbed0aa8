"""{% bulk_bar "customer" %}: the action bar of a list (shown once a row is ticked, by
static/js/bulk.js); rows carry {% bulk_checkbox "customer" obj %}, the header {% bulk_all "customer" %}.
The list's context gives `page` (a Paginator page): its count is "all matching"."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model, QuerySet
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from crm.accounts.access import sees_everything
from crm.accounts.models import User
from crm.bulk.services import MAX_IDS, MAX_MATCHING
from crm.bulk.targets import ACTION_LABELS, TARGETS, groups
from crm.categories.models import DealStage, stage_label

register = template.Library()


@register.inclusion_tag("bulk/_bar.html", takes_context=True)
def bulk_bar(context: dict[str, Any], key: str) -> dict[str, Any]:
    request = context["request"]
    user: User = request.user
    target = TARGETS[key]
    everything = sees_everything(user)
    # Someone who sees only his own records could only hand them to himself: no "assign"
    # (and no list of staff to probe the owner filter with).
    owners = list(User.objects.filter(is_active=True)) if everything else []
    actions = [a for a in target.actions if everything or a != "assign"]
    # "Select all matching" is offered once the whole page is ticked and the list has more
    # rows than the page: the action then goes to every row of the list's query string.
    page = context.get("page")
    total = page.paginator.count if page is not None else 0
    shown = len(page.object_list) if page is not None else 0
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "key": key,
        "next": request.get_full_path(),
        "actions": [(action, ACTION_LABELS[action]) for action in actions],
        "owners": owners,
        "statuses": list(target.status_choices()) if target.status_choices else [],
        "stages": _stage_options(target.stage_choices()) if target.stage_choices else [],
        "groups": list(groups()) if "group_add" in target.actions else [],
        "max_ids": MAX_IDS,
        "total": total,
        "more": total > shown,
        "max_matching": MAX_MATCHING,
        "query": query.urlencode(),
        "csrf_token": context.get("csrf_token"),
    }


def _stage_options(stages: QuerySet[DealStage]) -> list[tuple[int, str]]:
    """(id, label): "Serwis › Oferta" when the stages span pipelines (names repeat across them)."""
    rows = list(stages.select_related("pipeline"))
    many = len({stage.pipeline_id for stage in rows}) > 1
    return [(stage.pk, stage_label(stage, many_pipelines=many)) for stage in rows]


@register.simple_tag
def bulk_checkbox(key: str, obj: Model) -> SafeString:
    """The row's tick box (built here, not from a template: it is drawn on every row)."""
    return format_html(
        '<input class="form-check-input" type="checkbox" name="ids" value="{}" form="bulk-form-{}" '
        'data-bulk-row="{}" aria-label="{}">',
        obj.pk,
        key,
        key,
        _("Zaznacz: %(name)s") % {"name": obj},
    )


@register.inclusion_tag("bulk/_all.html")
def bulk_all(key: str) -> dict[str, Any]:
    return {"key": key}
