"""Deal and task writes are all or nothing: when the timeline entry that goes with a
change cannot be written, the change itself is undone too."""

from __future__ import annotations

import pytest
from django.db import DatabaseError
from django_tenants.utils import schema_context

from crm.notes.models import TimelineEvent
from crm.sales import services as deals
from crm.sales.models import Deal
from crm.tasks import services as tasks
from crm.tasks.models import Task
from tests.crm.sales.helpers import customer_make, deal_make, stages, task_make
from tests.support.refuse import db_refuses

pytestmark = pytest.mark.django_db


def test_a_deal_keeps_its_stage_when_the_timeline_entry_of_the_move_fails(company_a, szef):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)
        first, second = stages()[:2]
        db_refuses(company_a.schema_name, "notes_timelineevent", "INSERT")

        with pytest.raises(DatabaseError):
            deals.deal_move_stage(deal=Deal.objects.get(pk=deal.pk), stage=second, actor=szef)

        assert Deal.objects.get(pk=deal.pk).stage_id == first.pk


def test_a_deal_deletion_that_fails_leaves_no_timeline_entry_saying_it_was_deleted(company_a, szef):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)
        db_refuses(company_a.schema_name, "sales_deal", "DELETE")

        with pytest.raises(DatabaseError):
            deals.deal_delete(deal=deal, actor=szef)

        assert Deal.objects.filter(pk=deal.pk).exists()
        assert not TimelineEvent.objects.filter(kind="deal_deleted").exists()


def test_a_task_stays_to_do_when_the_timeline_entry_of_its_completion_fails(company_a, szef):
    with schema_context(company_a.schema_name):
        task = task_make(assignee=szef, customer=customer_make())
        db_refuses(company_a.schema_name, "notes_timelineevent", "INSERT")

        with pytest.raises(DatabaseError):
            tasks.task_done_set(task=Task.objects.get(pk=task.pk), done=True, actor=szef)

        stored = Task.objects.get(pk=task.pk)
        assert (stored.done, stored.completed_at) == (False, None)
