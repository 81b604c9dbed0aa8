"""The deal rules in crm/sales/services.py, shared by pages and the API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from crm.notes.models import TimelineEvent
from crm.sales import services
from crm.sales.models import Deal
from tests.crm.sales.helpers import customer_make, deal_make, loss_reason, stages, status, win_reason


@pytest.fixture
def in_a(company_a):
    with schema_context(company_a.schema_name):
        yield


@pytest.mark.usefixtures("in_a")
class TestDealRules:
    def test_new_deal_defaults_to_w_toku_first_stage_pln_and_the_actor_as_owner(self, szef):
        deal = services.deal_create(actor=szef, name="Wdrożenie CRM", customer=customer_make())

        assert deal.status.code == "in_progress"
        assert deal.stage == stages()[0]
        assert deal.currency == "PLN"
        assert deal.owner == szef
        assert deal.closed_at is None

    def test_other_currencies_are_allowed_and_upper_cased(self, szef):
        deal = services.deal_create(
            actor=szef, name="Eksport", customer=customer_make(), value=Decimal("99.50"), currency="eur"
        )
        assert deal.currency == "EUR"

    def test_a_currency_that_is_not_three_letters_is_refused(self, szef):
        with pytest.raises(ValidationError) as exc:
            services.deal_create(actor=szef, name="Zła waluta", customer=customer_make(), currency="złote")
        assert "currency" in exc.value.message_dict
        assert not Deal.objects.filter(name="Zła waluta").exists()

    def test_winning_without_a_win_reason_is_refused_and_nothing_changes(self, szef):
        deal = deal_make(owner=szef)

        with pytest.raises(ValidationError) as exc:
            services.deal_close(deal=deal, status=status("won"), actor=szef)

        assert "powód wygranej" in exc.value.message_dict["win_reason"][0]
        deal.refresh_from_db()
        assert deal.status.code == "in_progress"
        assert deal.closed_at is None
        assert not TimelineEvent.objects.filter(deal=deal).exists()

    def test_losing_without_a_loss_reason_is_refused(self, szef):
        deal = deal_make(owner=szef)

        with pytest.raises(ValidationError) as exc:
            services.deal_close(deal=deal, status=status("lost"), actor=szef, win_reason=win_reason())

        assert "powód przegranej" in exc.value.message_dict["loss_reason"][0]
        deal.refresh_from_db()
        assert deal.status.code == "in_progress"

    def test_winning_with_a_reason_closes_the_deal_and_goes_on_the_timeline(self, szef):
        deal = deal_make(owner=szef)

        services.deal_close(deal=deal, status=status("won"), actor=szef, win_reason=win_reason())

        deal.refresh_from_db()
        assert deal.closed_at is not None
        assert deal.win_reason == win_reason()
        event = TimelineEvent.objects.get(deal=deal)
        assert event.kind == "deal_status_changed"
        assert event.customer == deal.customer
        assert event.actor == szef
        assert "Wygrane" in event.message and win_reason().name in event.message

    def test_losing_keeps_only_the_loss_reason(self, szef):
        deal = deal_make(owner=szef)

        services.deal_close(
            deal=deal, status=status("lost"), actor=szef, win_reason=win_reason(), loss_reason=loss_reason()
        )

        deal.refresh_from_db()
        assert deal.loss_reason == loss_reason()
        assert deal.win_reason is None
        assert deal.closed_at is not None

    def test_postponing_is_not_closing_and_reopening_clears_closed_at_and_reasons(self, szef):
        deal = deal_make(owner=szef)
        services.deal_close(deal=deal, status=status("won"), actor=szef, win_reason=win_reason())

        services.deal_close(deal=deal, status=status("postponed"), actor=szef)
        deal.refresh_from_db()
        assert deal.closed_at is None
        assert deal.win_reason is None

        services.deal_close(deal=deal, status=status("in_progress"), actor=szef)
        deal.refresh_from_db()
        assert deal.status.code == "in_progress"

    def test_closing_time_is_kept_when_a_won_deal_is_edited(self, szef):
        deal = deal_make(owner=szef)
        services.deal_close(deal=deal, status=status("won"), actor=szef, win_reason=win_reason())
        closed_at = Deal.objects.get(pk=deal.pk).closed_at

        services.deal_update(deal=Deal.objects.get(pk=deal.pk), actor=szef, value=Decimal("5"))

        assert Deal.objects.get(pk=deal.pk).closed_at == closed_at

    def test_stage_move_is_recorded_on_the_customer_timeline(self, szef):
        first, second = stages()[:2]
        deal = deal_make(owner=szef, stage=first)

        services.deal_move_stage(deal=deal, stage=second, actor=szef)

        event = TimelineEvent.objects.get(deal=deal, kind="deal_stage_changed")
        assert first.name in event.message and second.name in event.message
        assert event.customer_id == deal.customer_id

    def test_moving_to_the_same_stage_records_nothing(self, szef):
        deal = deal_make(owner=szef)

        services.deal_move_stage(deal=deal, stage=deal.stage, actor=szef)

        assert not TimelineEvent.objects.filter(deal=deal).exists()

    def test_negative_value_and_blank_name_are_refused(self, szef):
        with pytest.raises(ValidationError) as exc:
            services.deal_create(actor=szef, name="  ", customer=customer_make(), value=Decimal("-1"))
        assert {"name", "value"} <= set(exc.value.message_dict)
        assert Deal.objects.count() == 0

    def test_deleting_a_deal_keeps_its_tasks_and_notes_it_on_the_timeline(self, szef):
        from tests.crm.sales.helpers import task_make

        deal = deal_make(owner=szef)
        task = task_make(deal=deal, customer=deal.customer)

        services.deal_delete(deal=deal, actor=szef)

        task.refresh_from_db()
        assert task.deal is None
        assert TimelineEvent.objects.filter(customer=task.customer, kind="deal_deleted").exists()
