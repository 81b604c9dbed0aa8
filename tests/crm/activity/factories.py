"""Factory for activity-log entries (call inside the company schema)."""

from __future__ import annotations

import factory

from crm.activity.models import ActivityEntry, ActivityKind


class ActivityEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityEntry

    kind = ActivityKind.OTHER
    user_label = factory.LazyAttribute(lambda o: o.user.email if o.user else "")
    message = factory.Sequence(lambda n: f"Zdarzenie {n}")
    user = None
