"""Factory for tasks (call inside the company schema): visible to everyone, unassigned,
without a customer unless told otherwise."""

from __future__ import annotations

import factory

from crm.tasks.models import Task


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    title = factory.Sequence(lambda n: f"Zadanie {n}")
