"""Custom fields on pages: the list's filters and columns, and the card's values.

{% load customfields_tags %}
{% custom_filters "customer" %}               inputs named cf_<key>, filled from the URL
{% custom_columns "customer" as cf_columns %} fields shown as list columns
{{ obj.custom_fields|cf_value:field }}        a value as a person reads it
{% custom_fields_card obj %}                  the record's values (on its card)
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model

from crm.customfields.cards import custom_card_rows
from crm.customfields.definitions import FieldDef, custom_fields_of, custom_list_columns
from crm.customfields.forms import custom_form_field_names
from crm.customfields.values import custom_value_display

register = template.Library()


@register.inclusion_tag("customfields/_filters.html", takes_context=True)
def custom_filters(context: template.Context, model: str, col: str = "col-6 col-md-2") -> dict[str, Any]:
    request = context.get("request")
    params = request.GET if request is not None else {}
    fields = [{"field": f, "value": str(params.get(f.param, ""))[:200]} for f in custom_fields_of(model)]
    return {"fields": fields, "col": col}


@register.simple_tag
def custom_columns(model: str) -> tuple[FieldDef, ...]:
    return custom_list_columns(model)


@register.filter
def cf_value(values: dict[str, Any] | None, field: FieldDef) -> str:
    return custom_value_display(field, (values or {}).get(field.key))


@register.inclusion_tag("customfields/_card.html")
def custom_fields_card(obj: Model) -> dict[str, Any]:
    return {"rows": custom_card_rows(obj)}


@register.inclusion_tag("customfields/_form_fields.html")
def custom_form_fields(form: Any, card: bool = True) -> dict[str, Any]:
    """The `cf_<key>` fields a form got from custom_form_fields_add, in their order."""
    return {"fields": [form[name] for name in custom_form_field_names(form)], "card": card}
