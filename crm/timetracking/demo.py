"""Sample time of the demo company (called from crm/demo/seed.py after the projects): the
staff's working days of the last two weeks on the demo projects, some on their tasks, a
few not billable. Idempotent: does nothing once the company has any time entry, or while
it has no projects."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from crm.accounts.models import User
from crm.projects.models import Project
from crm.timetracking.models import TimeEntry

DAYS = 14
# (start hour, minutes) of a working day's entries, taken in turn
SLOTS = [(8, 150), (11, 90), (13, 120), (15, 60)]
NOTES = ["Spotkanie z klientem", "Implementacja", "Poprawki po przeglądzie", "Testy", ""]


def time_demo_seed() -> int:
    """Create the demo time entries; returns how many were made (0 when already there)."""
    projects = list(Project.objects.order_by("id")[:4])
    if not projects or TimeEntry.objects.exists():
        return 0
    people = list(User.objects.filter(is_active=True).order_by("id")[:3])
    today = timezone.localdate()
    entries = []
    for back in range(DAYS, 0, -1):
        day = today - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        for index, person in enumerate(people):
            for slot, (hour, minutes) in enumerate(SLOTS[: 2 + (back + index) % 3]):
                project = projects[(back + index + slot) % len(projects)]
                task = project.tasks.order_by("id").first() if slot % 2 else None
                start = timezone.make_aware(datetime.combine(day, time(hour)))
                entries.append(
                    TimeEntry(
                        project=project,
                        task=task,
                        user=person,
                        started_at=start,
                        ended_at=start + timedelta(minutes=minutes),
                        minutes=minutes,
                        billable=(back + slot) % 5 != 0,
                        note=NOTES[(back + slot) % len(NOTES)],
                    )
                )
    TimeEntry.objects.bulk_create(entries)
    return len(entries)
