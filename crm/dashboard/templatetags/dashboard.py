from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from crm.common.charts import money_text, number, percent_text

register = template.Library()


@register.filter
def money(totals: Any) -> str:
    """[(currency, sum), ...] or {currency: sum} -> "12 500 PLN · 300,50 EUR"."""
    return money_text(totals)


@register.filter
def num(value: Any) -> str:
    if value is None or value == "":
        return "—"
    return number(value)


@register.simple_tag
def object_url(url_name: str, pk: int) -> str:
    """URL of an object page of another app, or "" while that page does not exist."""
    try:
        return reverse(url_name, args=[pk])
    except NoReverseMatch:
        return ""


@register.filter
def pct(value: Any) -> str:
    return percent_text(value)
