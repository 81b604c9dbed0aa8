"""Sample deals and tasks of the demo company."""

from __future__ import annotations

from django.utils import timezone
from django_tenants.utils import schema_context

from crm.sales.demo import deals_demo_seed
from crm.sales.models import Deal
from crm.tasks.demo import tasks_demo_seed
from crm.tasks.models import Task
from tests.crm.sales.helpers import customer_make


def test_demo_creates_nothing_without_customers(company_a):
    with schema_context(company_a.schema_name):
        assert deals_demo_seed() == 0
        assert tasks_demo_seed() == 0
        assert not Deal.objects.exists() and not Task.objects.exists()


def test_demo_deals_and_tasks_are_varied_and_seeding_twice_adds_nothing(company_a):
    with schema_context(company_a.schema_name):
        for name in ("Mleczarnia Łowicz", "Hurtownia Budmat", "Kancelaria Nowak", "Drukarnia Kraków"):
            customer_make(name=name)

        deals_demo_seed()
        tasks_demo_seed()
        counts = (Deal.objects.count(), Task.objects.count())
        deals_demo_seed()
        tasks_demo_seed()

        assert (Deal.objects.count(), Task.objects.count()) == counts
        assert Deal.objects.values("stage").distinct().count() >= 4
        codes = set(Deal.objects.values_list("status__code", flat=True))
        assert {"in_progress", "won", "lost", "postponed"} <= codes
        assert not Deal.objects.filter(status__code="won", win_reason__isnull=True).exists()
        now = timezone.now()
        assert Task.objects.filter(done=False, due_at__lt=now).exists()
        assert Task.objects.filter(done=False, due_at__gte=now).exists()
        assert Task.objects.filter(visibility="owner").exists()
