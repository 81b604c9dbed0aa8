"""Charts drawn on the server as SVG: no JavaScript, nothing downloaded, allowed by
the CSP (colours are SVG attributes, not inline styles). Every chart is shown next
to a table with the same numbers; the SVG itself carries a <title> for screen readers."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count
from typing import Any

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_ids = count(1)
DEFAULT_COLOUR = "#2457c5"


def colour(value: str | None, default: str = DEFAULT_COLOUR) -> str:
    return value if value and _COLOUR.match(value) else default


def number(value: Decimal | int | float) -> str:
    decimals = 0 if float(value) == int(value) else 2
    return str(number_format(value, decimal_pos=decimals, force_grouping=True))


def money_text(totals: Any) -> str:
    """[(currency, sum), ...] or {currency: sum} -> "12 500 PLN · 300,50 EUR"."""
    items = totals.items() if isinstance(totals, dict) else totals or []
    parts = [f"{number(value)} {currency}" for currency, value in items]
    return " · ".join(parts) or f"{number(Decimal('0'))} PLN"


def percent_text(value: Decimal | float | None) -> str:
    return "—" if value is None else f"{number_format(value, decimal_pos=1)} %"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Bar:
    label: str
    values: list[tuple[Decimal | int | float, str]]  # (value, colour), one per series
    text: str = ""  # shown after the bars; the numbers by default
    hint: str = ""  # extra words in the tooltip


@dataclass
class Legend:
    items: list[tuple[str, str]] = field(default_factory=list)  # (name, colour)


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    legend: Sequence[tuple[str, str]] = (),
    label_width: int = 140,
    width: int = 460,
) -> SafeString:
    """Horizontal bars, one row per `Bar` (several series side by side in a row)."""
    bar_h, gap = 16, 10
    series = max((len(b.values) for b in bars), default=1)
    row_h = series * bar_h + gap
    top = 24 if legend else 6
    height = top + max(len(bars), 1) * row_h + 4
    scale_max = max((float(v) for b in bars for v, _c in b.values), default=0.0) or 1.0
    area = width - label_width - 130
    uid = f"chart-{next(_ids)}"
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{uid}" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{uid}">{escape(title)}</title>'
    ]
    x = label_width
    for name, col in legend:
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" rx="2" fill="{colour(col)}"/>')
        parts.append(f'<text x="{x + 16}" y="14" class="chart-legend">{escape(_short(name, 22))}</text>')
        x += 30 + 7 * len(_short(name, 22))
    if not bars:
        parts.append(f'<text x="{label_width}" y="{top + 12}" class="chart-empty">—</text>')
    for i, bar in enumerate(bars):
        y = top + i * row_h
        numbers = bar.text or " / ".join(number(v) for v, _c in bar.values)
        parts.append(
            f"<g><title>{escape(bar.label)}: {escape(numbers)}{(' ' + escape(bar.hint)) if bar.hint else ''}</title>"
        )
        parts.append(
            f'<text x="{label_width - 8}" y="{y + row_h / 2 + 2:.0f}" text-anchor="end" class="chart-label">'
            f"{escape(_short(bar.label, 22))}</text>"
        )
        end = label_width
        for j, (value, col) in enumerate(bar.values):
            w = max(float(value) / scale_max * area, 1.5 if float(value) else 0)
            parts.append(
                f'<rect x="{label_width}" y="{y + j * bar_h + 1}" width="{w:.1f}" height="{bar_h - 3}" rx="2" '
                f'fill="{colour(col)}"/>'
            )
            end = max(end, int(label_width + w))
        parts.append(
            f'<text x="{end + 6}" y="{y + row_h / 2 + 2:.0f}" class="chart-value">{escape(_short(numbers, 30))}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped, colours validated


def column_chart(
    labels: Sequence[str],
    values: Sequence[Decimal | int | float],
    *,
    title: str,
    color: str = DEFAULT_COLOUR,
    fmt: Callable[[Decimal | int | float], str] = number,
) -> SafeString:
    """Vertical columns over time (months, years), the value above each column."""
    width, height, bottom, top = 640, 230, 28, 22
    n = max(len(values), 1)
    slot = width / n
    scale_max = max((float(v) for v in values), default=0.0) or 1.0
    area = height - bottom - top
    uid = f"chart-{next(_ids)}"
    parts = [
        # A wide chart scrolls sideways on a phone: the region takes keyboard focus to scroll.
        f'<div class="chart-scroll" tabindex="0" role="region" aria-label="{escape(title)}">'
        f'<svg class="chart chart-columns" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}" xmlns="http://www.w3.org/2000/svg"><title id="{uid}">{escape(title)}</title>',
        f'<line x1="0" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" class="chart-axis"/>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = float(value) / scale_max * area
        x = i * slot + slot * 0.18
        w = slot * 0.64
        y = height - bottom - h
        cx = i * slot + slot / 2
        text = fmt(value)
        parts.append(f"<g><title>{escape(label)}: {escape(text)}</title>")
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="2" fill="{colour(color)}"/>')
        parts.append(
            f'<text x="{cx:.1f}" y="{y - 5:.1f}" text-anchor="middle" class="chart-value">{escape(text)}</text>'
        )
        parts.append(
            f'<text x="{cx:.1f}" y="{height - 9}" text-anchor="middle" class="chart-label">{escape(label)}</text></g>'
        )
    parts.append("</svg></div>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped, colours validated
