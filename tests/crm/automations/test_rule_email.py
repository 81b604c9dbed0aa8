"""The "e-mail the customer" action goes out from the worker once the triggering
transaction commits: a rolled-back change sends nothing, the request never waits on the
mail server, a refusal is kept on the run and in the system log with the server's answer,
and a failure that may pass is tried again."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.db import transaction

from crm.automations import mail as automation_mail
from crm.automations.models import Action, AutomationRun, Trigger
from crm.automations.services import rule_create
from crm.categories.models import DealStage
from crm.sales.services import deal_create, deal_move_stage
from crm.systemlog.models import SystemEvent, SystemEventKind
from tests.crm.contacts.factories import CustomerFactory
from tests.support.fake_smtp import smtp_server_running
from tests.support.systemlog import system_events_clear

pytestmark = pytest.mark.django_db


def _setup(szef):
    stage = DealStage.objects.get_or_create(name="Negocjacje")[0]
    rule_create(
        actor=szef,
        name="Powitanie",
        trigger=Trigger.DEAL_STAGE,
        stage=stage,
        action=Action.SEND_EMAIL,
        subject="Negocjujemy: {{ deal.name }}",
        body="Dzień dobry {{ customer.name }}.",
    )
    deal = deal_create(actor=szef, name="Wdrożenie", customer=CustomerFactory(name="ACME", email="biuro@acme.test"))
    return deal, stage


def test_the_email_goes_out_only_after_the_change_is_committed(szef, in_a, worker):
    with in_a():
        deal, stage = _setup(szef)
        with worker():
            deal_move_stage(deal=deal, stage=stage, actor=szef)
            assert mail.outbox == []  # still inside the request's transaction
            assert AutomationRun.objects.get().result == "E-mail do biuro@acme.test czeka na wysłanie."

        [sent] = mail.outbox
        assert sent.to == ["biuro@acme.test"] and "Negocjujemy: Wdrożenie" in sent.subject
        assert sent.body == "Dzień dobry ACME."
        run = AutomationRun.objects.get()
        assert run.ok and run.result == "Wysłano e-mail do biuro@acme.test."


def test_a_change_that_is_rolled_back_sends_nothing(szef, in_a, worker):
    with in_a():
        deal, stage = _setup(szef)
        with worker() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
            deal_move_stage(deal=deal, stage=stage, actor=szef)
            raise RuntimeError("the request failed after the move")

        assert callbacks == [] and mail.outbox == []
        assert not AutomationRun.objects.exists()
        deal.refresh_from_db()
        assert deal.stage != stage


def test_a_refusal_is_kept_on_the_run_and_in_the_system_log_with_the_servers_answer(
    szef, in_a, worker, company_settings_a, monkeypatch
):
    system_events_clear()
    attempts = []
    real_send = automation_mail.company_email_send

    def counted(**kwargs):
        attempts.append(kwargs["to"])
        return real_send(**kwargs)

    monkeypatch.setattr(automation_mail, "company_email_send", counted)
    with smtp_server_running(refuse=["biuro@acme.test"]) as server:
        company_settings_a(smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none")
        with in_a():
            deal, stage = _setup(szef)
            with worker():
                deal_move_stage(deal=deal, stage=stage, actor=szef)

    assert server.sink.messages == [] and len(attempts) == 1  # a 550 is not tried again
    with in_a():
        run = AutomationRun.objects.get()
        assert not run.ok and "550 5.1.1 No such user here" in run.result
        event = SystemEvent.objects.get(kind=SystemEventKind.EMAIL_FAILED)
        assert "550 5.1.1 No such user here" in event.detail and "biuro@acme.test" in event.message
        deal.refresh_from_db()
        assert deal.stage == stage
    system_events_clear()


def test_a_failure_that_may_pass_is_tried_again(szef, in_a, worker, monkeypatch):
    attempts = []
    real_send = automation_mail.company_email_send

    def flaky(**kwargs):
        attempts.append(kwargs["to"])
        if len(attempts) == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send(**kwargs)

    monkeypatch.setattr(automation_mail, "company_email_send", flaky)
    with in_a():
        deal, stage = _setup(szef)
        with worker():
            deal_move_stage(deal=deal, stage=stage, actor=szef)

        assert len(attempts) == 2
        [sent] = mail.outbox
        assert sent.to == ["biuro@acme.test"]
        assert AutomationRun.objects.get().ok


def test_the_last_attempt_records_a_failure_that_did_not_pass(szef, in_a, worker, monkeypatch):
    attempts = []

    def down(**kwargs):
        attempts.append(kwargs["to"])
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(automation_mail, "company_email_send", down)
    with in_a():
        deal, stage = _setup(szef)
        with worker():
            deal_move_stage(deal=deal, stage=stage, actor=szef)

        assert len(attempts) == automation_mail.MAX_RETRIES + 1 and mail.outbox == []
        run = AutomationRun.objects.get()
        assert not run.ok and "Connection refused" in run.result
