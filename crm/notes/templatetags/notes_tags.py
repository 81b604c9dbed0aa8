"""{% notes_section %} / {% files_section %}: the notes and files panels of the record
in the template context (`task`, `offer`, `invoice`, else `deal`, else `customer`; or `target=`).

The record must already be one the user may see (the including page checked it).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model

from crm.notes.views import section_context

register = template.Library()


def _target(context: template.Context, target: Any) -> Any:
    if isinstance(target, Model):
        return target
    for name in ("task", "offer", "invoice", "contract", "ticket", "project", "deal", "customer"):
        value = context.get(name)
        if value is not None and getattr(value, "pk", None):
            return value
    return None


def _render(context: template.Context, section: str, target: Any) -> dict[str, Any]:
    request = context.get("request")
    obj = _target(context, target)
    if request is None or obj is None:
        return {"missing": True}
    ctx = section_context(request, obj, section)
    ctx.update(request=request, csrf_token=context.get("csrf_token"), user=request.user)
    return ctx


@register.inclusion_tag("notes/_notes_section.html", takes_context=True)
def notes_section(context: template.Context, target: Any = None) -> dict[str, Any]:
    return _render(context, "notes", target)


@register.inclusion_tag("notes/_files_section.html", takes_context=True)
def files_section(context: template.Context, target: Any = None) -> dict[str, Any]:
    return _render(context, "files", target)
