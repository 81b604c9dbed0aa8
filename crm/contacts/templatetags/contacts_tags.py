from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from crm.contacts.registers import registry_configured

register = template.Library()


@register.filter
def cell(data: dict[str, Any], key: str) -> str:
    """A previewed import value as text (lists joined, missing as empty)."""
    value = data.get("custom_fields", {}).get(key[3:]) if key.startswith("cf_") else data.get(key)
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@register.simple_tag(takes_context=True)
def column_options(context: template.Context, columns: list[tuple[int, str]], selected: int | None) -> SafeString:
    """The <option>s of one import-mapping <select>, one per file column. Titles are
    escaped once per page (render_context), not once per select: 16 selects x 100
    columns through format_html made this the slowest part of the page."""
    key = f"column_options:{id(columns)}"
    options = context.render_context.get(key)
    if options is None:
        options = [(int(index), escape(title or "?")) for index, title in columns]
        context.render_context[key] = options
    html = "".join(f'<option value="{i}"{" selected" if i == selected else ""}>{t}</option>' for i, t in options)
    return mark_safe(html)  # noqa: S308 - integer values, titles escaped above


@register.simple_tag
def registry_button(nip_field: str, fill: str) -> SafeString:
    """ "Pobierz dane z GUS" next to a NIP field: fetches the company's data from the
    configured register (crm.contacts.registers) and fills the fields named in `fill`
    ("name:id_name,street:id_street": register key -> input id; static/js/registry.js).
    Nothing without a configured register."""
    if not registry_configured():
        return SafeString("")
    return format_html(
        '<button type="button" class="btn btn-sm btn-outline-secondary mb-3" data-registry-url="{}" '
        'data-registry-nip="{}" data-registry-fill="{}" data-testid="registry-fetch">'
        '<i class="bi bi-cloud-download" aria-hidden="true"></i> {}</button>'
        '<div class="small mb-2" role="status" aria-live="polite" data-registry-status></div>',
        reverse("contacts:registry_lookup"),
        nip_field,
        fill,
        _("Pobierz dane z GUS"),
    )
