"""Time windows of the dashboard, computed in the company's time zone (TIME_ZONE,
Europe/Warsaw): "the last 7 days" is today and the six calendar days before it,
from local midnight, whatever the UTC offset or a DST change in between."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from django.utils import timezone

WINDOW_DAYS = (3, 7, 30)
DEFAULT_DAYS = 7


def local_tz() -> tzinfo:
    return timezone.get_default_timezone()


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=local_tz())


def window_start(days: int, *, now: datetime | None = None) -> datetime:
    """Start of "the last `days` days": local midnight of today minus (days - 1)."""
    today = timezone.localdate(now or timezone.now(), local_tz())
    return local_midnight(today - timedelta(days=days - 1))


def days_parse(raw: object, *, default: int = DEFAULT_DAYS) -> int | None:
    """3, 7 or 30 from a query parameter; the default when missing; None when invalid."""
    if raw in (None, ""):
        return default
    text = str(raw).strip()
    return int(text) if text in {str(d) for d in WINDOW_DAYS} else None


@dataclass(frozen=True)
class Week:
    start: datetime  # Monday 00:00 local
    end: datetime  # next Monday 00:00 local

    @property
    def days(self) -> list[date]:
        first = timezone.localdate(self.start, local_tz())
        return [first + timedelta(days=i) for i in range(7)]


def week_of(now: datetime | None = None) -> Week:
    today = timezone.localdate(now or timezone.now(), local_tz())
    monday = today - timedelta(days=today.weekday())
    return Week(start=local_midnight(monday), end=local_midnight(monday + timedelta(days=7)))


def month_starts(count: int, *, now: datetime | None = None) -> list[date]:
    """First days of the last `count` months, oldest first, the current month last."""
    today = timezone.localdate(now or timezone.now(), local_tz())
    year, month = today.year, today.month
    out: list[date] = []
    for _ in range(count):
        out.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[::-1]


def local_year(now: datetime | None = None) -> int:
    return timezone.localdate(now or timezone.now(), local_tz()).year
