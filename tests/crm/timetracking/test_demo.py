"""The demo time: entries on the demo projects once they exist, none without projects,
and a second run adds nothing."""

from __future__ import annotations

from django.utils import timezone

from crm.timetracking.demo import time_demo_seed
from crm.timetracking.models import TimeEntry
from tests.crm.timetracking.factories import project_make


def test_demo_time_waits_for_projects_and_is_made_once(in_a, szef):
    with in_a():
        assert time_demo_seed() == 0
        project_make()

        made = time_demo_seed()

        assert made > 0 and TimeEntry.objects.count() == made
        assert not TimeEntry.objects.filter(ended_at__gt=timezone.now()).exists()
        assert time_demo_seed() == 0
