"""Open sales and closed sales, each from one grouped query over the visible deals."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.accounts.models import User
from crm.categories.models import (
    DealCategory,
    DealStage,
    DealStatus,
    DealStatusCode,
    LossReason,
    Pipeline,
    WinReason,
    stage_label,
)
from crm.dashboard.periods import window_start
from crm.dashboard.reports.base import SALES_COLUMNS, Report, ReportFilters, ReportSection, Row
from crm.dashboard.selectors import Scope
from crm.sales.models import Deal
from crm.sales.selectors import deals_in_pipeline_q, open_deals_q


def report_deals(scope: Scope, filters: ReportFilters) -> QuerySet[Deal]:
    deals = scope.deals.order_by()
    pipeline = _pipeline(filters)
    if pipeline is not None:
        deals = deals.filter(deals_in_pipeline_q(pipeline))
    if filters.user_id:
        deals = deals.filter(owner_id=filters.user_id)
    if filters.group_id:
        deals = deals.filter(customer__groups=filters.group_id)
    return deals


def _pipeline(filters: ReportFilters) -> Pipeline | None:
    return Pipeline.objects.filter(pk=filters.pipeline_id).first() if filters.pipeline_id else None


def _stages(filters: ReportFilters) -> QuerySet[DealStage]:
    stages = DealStage.objects.order_by("pipeline__position", "pipeline_id", "position", "id")
    return stages.filter(pipeline_id=filters.pipeline_id) if filters.pipeline_id else stages


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _labels(model: type[models.Model], ids: set[Any]) -> dict[Any, tuple[str, str]]:
    """id -> (name, colour) of the few categories or users a report shows."""
    if model is User:
        return {
            pk: (name or email, "")
            for pk, name, email in User.objects.filter(pk__in=ids).values_list("pk", "name", "email")
        }
    return {
        pk: (name, color)
        for pk, name, color in model._default_manager.filter(pk__in=ids).values_list("pk", "name", "color")
    }


def row_of(section: str, key: Any, label: str, color: str, currency: str, n: int, total: Decimal | None) -> Row:
    return {
        "section": section,
        "id": key,
        "label": label,
        "color": color,
        "currency": currency,
        "count": n,
        "value": total if total is not None else Decimal("0"),
        "share": None,
    }


def _regroup(
    rows: list[dict[str, Any]],
    *,
    key: str,
    section: str,
    model: type[models.Model],
    none_label: str,
    n: str = "n",
    total: str = "total",
) -> list[Row]:
    """Count and sum per (key, currency) out of finer-grained rows of one grouped query;
    names from a small second query. Groups with nothing counted are left out."""
    acc: dict[tuple[Any, str], list[Any]] = {}
    for row in rows:
        if row[n]:
            cell = acc.setdefault((row[key], row["currency"]), [0, Decimal("0")])
            cell[0] += row[n]
            cell[1] += row[total] or Decimal("0")
    labels = _labels(model, {k for k, _c in acc if k is not None})
    out = []
    for (k, currency), (count, value) in acc.items():
        name, color = labels.get(k, (none_label, "")) if k is not None else (none_label, "")
        out.append(row_of(section, k, name, color, currency, count, value))
    return sorted(out, key=lambda r: (-r["count"], str(r["label"]), r["currency"]))


def by_currency(currencies: set[str]) -> list[str]:
    return sorted(currencies, key=lambda c: (c != "PLN", c)) or ["PLN"]


def open_sales(scope: Scope, filters: ReportFilters) -> Report:
    """Open deals (W toku and custom statuses) created within the range: funnel by
    stage (every stage, in order), totals by category and by owner. One pass over the
    deals, grouped by ids only (names joined from small queries)."""
    deals = report_deals(scope, filters).filter(open_deals_q()).filter(filters.in_range("created_at"))
    rows = list(
        deals.values("stage_id", "category_id", "owner_id", "currency").annotate(n=Count("id"), total=Sum("value"))
    )
    by_stage: dict[tuple[Any, str], list[Any]] = {}
    for row in rows:
        cell = by_stage.setdefault((row["stage_id"], row["currency"]), [0, Decimal("0")])
        cell[0] += row["n"]
        cell[1] += row["total"] or Decimal("0")
    many = not filters.pipeline_id and Pipeline.objects.count() > 1  # "Serwis › Oferta" across pipelines
    stages: list[tuple[int | None, str, str]] = [
        (s.pk, stage_label(s, many_pipelines=many), s.color) for s in _stages(filters).select_related("pipeline")
    ]
    if any(stage_id is None for stage_id, _c in by_stage):
        stages.append((None, _("Bez etapu"), ""))
    funnel: list[Row] = []
    for stage_id, name, color in stages:
        for currency in by_currency({c for s, c in by_stage if s == stage_id}):
            count, value = by_stage.get((stage_id, currency), (0, Decimal("0")))
            funnel.append(row_of("stage", stage_id, name, color, currency, count, value))
    return Report(
        name="open-sales",
        title=gettext_lazy("Otwarta sprzedaż"),
        columns=SALES_COLUMNS,
        sections=[
            ReportSection("stage", _("Lejek sprzedaży wg etapu"), funnel),
            ReportSection(
                "category",
                _("Wg kategorii"),
                _regroup(
                    rows, key="category_id", section="category", model=DealCategory, none_label=_("Bez kategorii")
                ),
            ),
            ReportSection(
                "user",
                _("Wg opiekuna"),
                _regroup(rows, key="owner_id", section="user", model=User, none_label=_("Bez opiekuna")),
            ),
        ],
    )


def closed_sales(scope: Scope, filters: ReportFilters, *, now: datetime | None = None) -> Report:
    """Won in the last 7 and 30 days (fixed windows), then over the range: won, lost,
    win ratio (won / (won + lost)), won by win reason and lost by loss reason. One
    pass over won and lost deals."""
    status_ids = dict(
        DealStatus.objects.filter(code__in=[DealStatusCode.WON, DealStatusCode.LOST]).values_list("code", "pk")
    )
    won_id, lost_id = status_ids.get(DealStatusCode.WON), status_ids.get(DealStatusCode.LOST)
    windows = {"w7": Q(closed_at__gte=window_start(7, now=now)), "w30": Q(closed_at__gte=window_start(30, now=now))}
    windows["rng"] = filters.in_range("closed_at")
    agg: dict[str, Any] = {}
    for name, cond in windows.items():
        agg[f"{name}_n"] = Count("id", filter=cond)
        agg[f"{name}_v"] = Sum("value", filter=cond)
    rows = list(
        report_deals(scope, filters)
        .filter(status_id__in=[pk for pk in (won_id, lost_id) if pk])
        .values("status_id", "win_reason_id", "loss_reason_id", "currency")
        .annotate(**agg)
    )
    won_rows = [r for r in rows if r["status_id"] == won_id]
    lost_rows = [r for r in rows if r["status_id"] == lost_id]
    parts = {
        "won_7d": (won_rows, "w7"),
        "won_30d": (won_rows, "w30"),
        "won": (won_rows, "rng"),
        "lost": (lost_rows, "rng"),
    }
    labels = {
        "won_7d": _("Wygrane w ostatnich 7 dniach"),
        "won_30d": _("Wygrane w ostatnich 30 dniach"),
        "won": _("Wygrane w okresie"),
        "lost": _("Przegrane w okresie"),
    }
    currencies = by_currency({r["currency"] for r in rows})
    summary: list[Row] = []
    counts: dict[str, int] = {}
    for key, (part, window) in parts.items():
        counts[key] = sum(r[f"{window}_n"] for r in part)
        for currency in currencies:
            mine = [r for r in part if r["currency"] == currency]
            summary.append(
                row_of(
                    "summary",
                    key,
                    labels[key],
                    "",
                    currency,
                    sum(r[f"{window}_n"] for r in mine),
                    sum((r[f"{window}_v"] or Decimal("0") for r in mine), Decimal("0")),
                )
            )
    closed_n = counts["won"] + counts["lost"]
    ratio = row_of("summary", "win_ratio", _("Współczynnik wygranych"), "", "", closed_n, None)
    ratio.update(value=None, share=percent(counts["won"], closed_n))
    summary.append(ratio)
    by_win = _regroup(
        won_rows,
        key="win_reason_id",
        section="win_reason",
        model=WinReason,
        none_label=_("Bez powodu"),
        n="rng_n",
        total="rng_v",
    )
    by_loss = _regroup(
        lost_rows,
        key="loss_reason_id",
        section="loss_reason",
        model=LossReason,
        none_label=_("Bez powodu"),
        n="rng_n",
        total="rng_v",
    )
    for grouped, whole in ((by_win, counts["won"]), (by_loss, counts["lost"])):
        for row in grouped:
            row["share"] = percent(row["count"], whole)
    return Report(
        name="closed-sales",
        title=gettext_lazy("Zamknięta sprzedaż"),
        columns=SALES_COLUMNS,
        sections=[
            ReportSection("summary", _("Podsumowanie"), summary),
            ReportSection("win_reason", _("Wygrane wg powodu"), by_win),
            ReportSection("loss_reason", _("Przegrane wg powodu"), by_loss),
        ],
    )
