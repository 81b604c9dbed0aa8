"""Automations: Szef's rules "when a deal enters a stage / a lead arrives from a source /
an invoice is overdue → create a task, assign, e-mail the customer, notify"; each run is
logged, an overdue invoice runs a rule once, and a rule never re-runs inside its own chain."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from crm.automations.merge import merge_render
from crm.automations.models import Action, AutomationRule, AutomationRun, Trigger
from crm.automations.services import rule_create
from crm.categories.models import ContactSource, DealStage
from crm.common.events import event_chain_mark
from crm.invoicing.models import InvoiceStatus
from crm.invoicing.payments import invoices_overdue_refresh
from crm.leads.services import lead_create
from crm.notifications.models import Notification
from crm.sales.services import deal_create, deal_move_stage
from crm.tasks.models import Task
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.invoicing.payments_factories import InvoiceFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/settings/automations/"
RUNS = "/api/v1/settings/automations/runs/"


def _stage(name="Negocjacje"):
    return DealStage.objects.get_or_create(name=name)[0]


def _deal(owner, name="Wdrożenie"):
    return deal_create(actor=owner, name=name, customer=CustomerFactory(name="ACME", email="biuro@acme.test"))


def test_a_deal_entering_the_stage_gets_a_task_for_its_owner(szef, pracownik, in_a):
    with in_a():
        stage = _stage()
        rule = rule_create(
            actor=szef,
            name="Oferta",
            trigger=Trigger.DEAL_STAGE,
            stage=stage,
            action=Action.CREATE_TASK,
            task_title="Wyślij ofertę: {{ deal.name }} dla {{ customer.name }}",
            task_due_days=3,
        )
        deal = _deal(pracownik)
        deal_move_stage(deal=deal, stage=_stage("Inny"), actor=pracownik)
        assert not Task.objects.exists()

        deal_move_stage(deal=deal, stage=stage, actor=pracownik)

        task = Task.objects.get()
        assert task.title == "Wyślij ofertę: Wdrożenie dla ACME"
        assert task.assignee == pracownik and task.deal == deal and task.customer == deal.customer
        assert task.due_at.date() == (timezone.now() + timedelta(days=3)).date()
        run = AutomationRun.objects.get()
        assert (run.rule, run.record_type, run.record_id, run.ok) == (rule, "deal", deal.pk, True)


def test_a_lead_from_the_source_is_assigned_to_the_fixed_person(szef, pracownik, in_a):
    with in_a():
        ads = ContactSource.objects.create(name="Reklama")
        rule_create(
            actor=szef,
            name="Reklama → Ania",
            trigger=Trigger.LEAD_SOURCE,
            source=ads,
            action=Action.ASSIGN_OWNER,
            person=pracownik,
        )
        other = lead_create(actor=szef, name="Z polecenia")
        lead = lead_create(actor=szef, name="Z reklamy", source=ads)
        assert lead.owner == pracownik  # what the creator is shown (the API's answer) already says so

        lead.refresh_from_db()
        other.refresh_from_db()
        assert lead.owner == pracownik and other.owner == szef


def test_an_overdue_invoice_emails_the_customer_exactly_once(szef, in_a, worker):
    with in_a(), worker():
        rule_create(
            actor=szef,
            name="Przypomnienie",
            trigger=Trigger.INVOICE_OVERDUE,
            action=Action.SEND_EMAIL,
            subject="Faktura {{ invoice.number }} po terminie",
            body="Dzień dobry {{ customer.name }}, prosimy o wpłatę {{ invoice.gross_total }}.",
        )
        invoice = InvoiceFactory(
            customer=CustomerFactory(name="ACME", email="biuro@acme.test"),
            due_date=timezone.localdate() - timedelta(days=2),
            lines=[("Usługa", "100.00", "23")],
        )
        invoices_overdue_refresh()
        invoices_overdue_refresh()
        # Overdue, back to issued (due date moved), overdue again: still one e-mail.
        invoice.refresh_from_db()
        invoice.due_date = timezone.localdate() + timedelta(days=5)
        invoice.save()
        invoices_overdue_refresh()
        invoice.due_date = timezone.localdate() - timedelta(days=1)
        invoice.save()
        invoices_overdue_refresh()
        invoice.refresh_from_db()

        assert invoice.status == InvoiceStatus.OVERDUE
        assert AutomationRun.objects.filter(record_type="invoice", record_id=invoice.pk).count() == 1
    with in_a():
        assert AutomationRun.objects.get().result == "Wysłano e-mail do biuro@acme.test."
    [sent] = mail.outbox
    assert sent.to == ["biuro@acme.test"]
    assert invoice.number in sent.subject
    assert sent.body == "Dzień dobry ACME, prosimy o wpłatę 123.00."


def test_notify_tells_the_owner_with_a_link_to_the_record(szef, pracownik, in_a):
    with in_a():
        stage = _stage()
        rule_create(
            actor=szef,
            name="Uwaga",
            trigger=Trigger.DEAL_STAGE,
            stage=stage,
            action=Action.NOTIFY,
            subject="Szansa {{ deal.name }} w negocjacjach",
        )
        deal = _deal(pracownik)
        deal_move_stage(deal=deal, stage=stage, actor=szef)

        note = Notification.objects.get(recipient=pracownik, kind="automation")
        assert note.params["title"] == "Szansa Wdrożenie w negocjacjach"
        assert note.url.endswith(f"/{deal.pk}/")


def test_a_failing_action_is_logged_and_the_change_stands(szef, in_a, worker):
    with in_a(), worker():
        rule_create(
            actor=szef, name="Mail", trigger=Trigger.INVOICE_OVERDUE, action=Action.SEND_EMAIL, subject="S", body="B"
        )
        invoice = InvoiceFactory(customer=CustomerFactory(email=""), due_date=timezone.localdate() - timedelta(days=1))
        invoices_overdue_refresh()

        invoice.refresh_from_db()
        run = AutomationRun.objects.get()
        assert invoice.status == InvoiceStatus.OVERDUE
        assert not run.ok and "adresu e-mail" in run.result
    assert mail.outbox == []


def test_a_disabled_rule_does_nothing(szef, in_a):
    with in_a():
        stage = _stage()
        rule_create(
            actor=szef,
            name="T",
            trigger=Trigger.DEAL_STAGE,
            stage=stage,
            action=Action.CREATE_TASK,
            task_title="T",
            enabled=False,
        )
        deal_move_stage(deal=_deal(szef), stage=stage, actor=szef)

        assert not Task.objects.exists() and not AutomationRun.objects.exists()


def test_a_rule_is_not_run_again_inside_the_chain_its_own_action_started(szef, in_a):
    with in_a():
        stage = _stage()
        rule = rule_create(
            actor=szef, name="T", trigger=Trigger.DEAL_STAGE, stage=stage, action=Action.CREATE_TASK, task_title="T"
        )
        deal = _deal(szef)
        with event_chain_mark(f"rule:{rule.pk}"):
            deal_move_stage(deal=deal, stage=stage, actor=szef)

        assert not Task.objects.exists()


def test_merge_fields_read_only_the_whitelisted_values():
    context = {"customer": {"name": "ACME"}}

    assert merge_render("{{ customer.name }} {{customer.name}}", context) == "ACME ACME"
    assert merge_render("{{ settings.SECRET_KEY }}{{ customer.__class__ }}{{ company.name }}", context) == ""
    assert (
        merge_render("{% load static %}{{ customer.name|upper }}", context)
        == "{% load static %}{{ customer.name|upper }}"
    )


def test_szef_manages_rules_through_the_api_and_sees_the_runs(api_szef, szef, in_a):
    with in_a():
        stage = _stage()
    response = api_szef.post(
        URL,
        {"name": "Zadanie", "trigger": "deal_stage", "stage": stage.pk, "action": "create_task", "task_title": "Zrób"},
        "application/json",
    )
    assert response.status_code == 201, response.content
    rule_id = response.json()["id"]
    assert api_szef.patch(f"{URL}{rule_id}/", {"enabled": False}, "application/json").json()["enabled"] is False
    api_szef.patch(f"{URL}{rule_id}/", {"enabled": True}, "application/json")
    with in_a():
        deal_move_stage(deal=_deal(szef), stage=stage, actor=szef)

    runs = api_szef.get(RUNS, {"rule": rule_id}).json()["results"]
    assert [(r["record_type"], r["ok"]) for r in runs] == [("deal", True)]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "X", "trigger": "deal_stage", "action": "create_task", "task_title": "T"}, "stage"),
        ({"name": "X", "trigger": "lead_source", "action": "notify"}, "source"),
        ({"name": "X", "trigger": "invoice_overdue", "action": "create_task"}, "task_title"),
        ({"name": "X", "trigger": "invoice_overdue", "action": "send_email", "subject": "S"}, "body"),
        ({"name": "X", "trigger": "invoice_overdue", "action": "assign_owner"}, "person"),
        ({"name": "X", "trigger": "kiedyś", "action": "notify"}, "trigger"),
        ({"name": " ", "trigger": "invoice_overdue", "action": "notify"}, "name"),
    ],
)
def test_a_bad_rule_is_a_400_naming_the_field_and_nothing_is_saved(api_szef, in_a, data, field):
    response = api_szef.post(URL, data, "application/json")

    assert response.status_code == 400
    assert field in response.json()
    with in_a():
        assert not AutomationRule.objects.exists()


def test_an_outsider_gets_404_for_this_companys_rule_and_run(api_outsider, szef, in_a):
    with in_a():
        stage = _stage()
        rule = rule_create(
            actor=szef, name="T", trigger=Trigger.DEAL_STAGE, stage=stage, action=Action.CREATE_TASK, task_title="T"
        )
        deal_move_stage(deal=_deal(szef), stage=stage, actor=szef)
        run = AutomationRun.objects.get()

    assert api_outsider.get(f"{URL}{rule.pk}/").status_code == 404
    assert api_outsider.patch(f"{URL}{rule.pk}/", {"enabled": False}, "application/json").status_code == 404
    assert api_outsider.get(f"{RUNS}{run.pk}/").status_code == 404
    with in_a():
        assert AutomationRule.objects.get().enabled


def test_another_companys_rules_never_act_on_this_companys_records(company_b, szef, in_a):
    from django_tenants.utils import schema_context

    with schema_context(company_b.schema_name):
        stage_b = _stage()
        rule_create(
            actor=None, name="B", trigger=Trigger.DEAL_STAGE, stage=stage_b, action=Action.CREATE_TASK, task_title="B"
        )
    with in_a():
        deal_move_stage(deal=_deal(szef), stage=_stage(), actor=szef)
        assert not Task.objects.exists()


@pytest.mark.parametrize("client_name", ["api_pracownik", "api_kierownik"])
def test_only_szef_manages_automations(request, client_name, in_a, szef):
    client = request.getfixturevalue(client_name)

    assert client.get(URL).status_code == 403
    assert (
        client.post(
            URL, {"name": "X", "trigger": "invoice_overdue", "action": "notify"}, "application/json"
        ).status_code
        == 403
    )
    assert client.get(RUNS).status_code == 403
    with in_a():
        assert not AutomationRule.objects.exists()
