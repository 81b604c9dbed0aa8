"""Settings > Automatyzacje: Szef adds, switches off and deletes rules and sees the runs;
other ranks get 403, another company's rule is a 404."""

from __future__ import annotations

import pytest

from crm.automations.models import Action, AutomationRule, Trigger
from crm.automations.services import rule_create
from crm.categories.models import DealStage

pytestmark = pytest.mark.django_db


def _rule():
    stage = DealStage.objects.get_or_create(name="Negocjacje")[0]
    return rule_create(
        actor=None, name="Oferta", trigger=Trigger.DEAL_STAGE, stage=stage, action=Action.CREATE_TASK, task_title="T"
    )


def test_szef_adds_a_rule_and_switches_it_off(client_a, szef, in_a):
    with in_a():
        stage = DealStage.objects.get_or_create(name="Negocjacje")[0]
    client_a.login_as(szef)

    response = client_a.post(
        "/settings/automations/add/",
        {
            "name": "Oferta",
            "enabled": "on",
            "trigger": "deal_stage",
            "stage": stage.pk,
            "action": "create_task",
            "task_title": "Wyślij ofertę",
            "task_due_days": "2",
        },
    )
    assert response.status_code == 302
    with in_a():
        rule = AutomationRule.objects.get()
        assert (rule.stage, rule.task_due_days, rule.enabled) == (stage, 2, True)

    client_a.post(f"/settings/automations/{rule.pk}/toggle/")
    page = client_a.get("/settings/automations/").content.decode()

    with in_a():
        assert not AutomationRule.objects.get().enabled
    assert "Oferta" in page


def test_a_rule_without_its_stage_shows_the_error_and_saves_nothing(client_a, szef, in_a):
    client_a.login_as(szef)

    response = client_a.post(
        "/settings/automations/add/",
        {"name": "X", "trigger": "deal_stage", "action": "create_task", "task_title": "T", "task_due_days": "1"},
    )

    assert response.status_code == 400 and "Wybierz etap." in response.content.decode()
    with in_a():
        assert not AutomationRule.objects.exists()


def test_szef_deletes_a_rule(client_a, szef, in_a):
    with in_a():
        rule = _rule()
    client_a.login_as(szef)

    assert client_a.post(f"/settings/automations/{rule.pk}/delete/").status_code == 302
    with in_a():
        assert not AutomationRule.objects.exists()


@pytest.mark.parametrize("who", ["pracownik", "kierownik"])
def test_other_ranks_cannot_open_automation_settings(client_a, request, who, in_a):
    with in_a():
        rule = _rule()
    client_a.login_as(request.getfixturevalue(who))

    assert client_a.get("/settings/automations/").status_code == 403
    assert client_a.post(f"/settings/automations/{rule.pk}/toggle/").status_code == 403
    with in_a():
        assert AutomationRule.objects.get().enabled


def test_an_outsider_gets_404_for_this_companys_rule_pages(client_b, outsider, in_a):
    with in_a():
        rule = _rule()
    client_b.login_as(outsider)

    assert client_b.get(f"/settings/automations/{rule.pk}/").status_code == 404
    assert client_b.post(f"/settings/automations/{rule.pk}/toggle/").status_code == 404
    assert client_b.post(f"/settings/automations/{rule.pk}/delete/").status_code == 404
