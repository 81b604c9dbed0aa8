"""The service's own e-mails to companies (trial reminders): the operator edits their text in
the console, from the built-in text, with placeholders only; nobody else may."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from billing_saas.models import OperatorAction, OperatorAuditEntry, ServiceEmailTemplate
from billing_saas.reminders import trial_reminders_send
from tenants.models import CompanyStatus
from tests.billing_saas.conftest import company_set

EDIT = "/operator/emails/trial_3d/"


def _form(page: str) -> str:
    return page.split('data-testid="service-email-form"')[1].split("</form>")[0]


def _trial_3_days_left(company) -> None:
    company_set(company, status=CompanyStatus.TRIAL, trial_ends_at=timezone.now() + timedelta(days=2, hours=20))


def test_the_edit_form_starts_from_the_built_in_text_in_both_languages(operator_client):
    page = operator_client.get(EDIT).content.decode()
    form = _form(page)
    assert "kończy się za 3 dni" in form  # the Polish built-in text...
    assert "ends in 3 days" in form  # ...and the English one
    assert "{{ company.name }}" in form and "{{ billing.link }}" in form and "{{ trial.ends_at }}" in form
    assert "{{ user.name }}" in form
    assert "{{ billing.link }}" in page.split('data-testid="service-email-fields"')[1]


def test_an_edited_reminder_is_sent_in_the_szefs_language_with_the_fields_filled(
    operator_client, company_a, szef, mailoutbox
):
    response = operator_client.post(
        EDIT,
        {
            "subject_pl": "Zostały 3 dni dla {{ company.name }}",
            "body_pl": "Cześć {{ user.name }}! Koniec: {{ trial.ends_at }}. Zapłać: {{ billing.link }}",
            "subject_en": "",
            "body_en": "",
        },
    )
    assert response.status_code == 302
    assert "zmieniony" in operator_client.get("/operator/emails/").content.decode()
    entry = OperatorAuditEntry.objects.filter(action=OperatorAction.SERVICE_EMAIL).get()
    assert entry.details == {"kind": "trial_3d"}

    _trial_3_days_left(company_a)
    assert trial_reminders_send() == 1
    [mail] = mailoutbox
    assert mail.subject == f"Zostały 3 dni dla {company_a.name}"
    assert mail.body.startswith("Cześć ")
    assert "/settings/billing/" in mail.body and "{{" not in mail.body
    assert str(timezone.localtime(company_a.trial_ends_at).year) in mail.body


def test_english_recipients_get_the_english_text_or_the_polish_one_when_it_is_empty(
    operator_client, company_a, szef, mailoutbox
):
    with schema_context(company_a.schema_name):
        szef.language = "en"
        szef.save(update_fields=["language"])
    operator_client.post(
        EDIT,
        {
            "subject_pl": "PL {{ company.name }}",
            "body_pl": "treść",
            "subject_en": "EN {{ company.name }}",
            "body_en": "",
        },
    )
    _trial_3_days_left(company_a)
    trial_reminders_send()
    [mail] = mailoutbox
    assert mail.subject == f"EN {company_a.name}"
    assert mail.body == "treść"


@pytest.mark.parametrize(
    "body",
    ["{{ settings.SECRET_KEY }}", "{% load static %}x", "{{ company.name|upper }}", "{{ customer.name }}"],
)
def test_anything_but_the_offered_placeholders_is_refused_and_nothing_saved(operator_client, body):
    response = operator_client.post(EDIT, {"subject_pl": "Temat", "body_pl": body, "subject_en": "", "body_en": ""})
    assert response.status_code == 400
    assert "Nieznane pola" in response.content.decode()
    assert not ServiceEmailTemplate.objects.exists()


def test_an_empty_polish_text_is_refused(operator_client):
    response = operator_client.post(EDIT, {"subject_pl": "", "body_pl": "", "subject_en": "", "body_en": ""})
    assert response.status_code == 400
    assert not ServiceEmailTemplate.objects.exists()


def test_restoring_the_built_in_text_sends_it_again(operator_client, company_a, szef, mailoutbox):
    operator_client.post(EDIT, {"subject_pl": "Własny", "body_pl": "własny", "subject_en": "", "body_en": ""})
    assert operator_client.post(EDIT + "reset/").status_code == 302
    assert not ServiceEmailTemplate.objects.exists()
    assert OperatorAuditEntry.objects.filter(action=OperatorAction.SERVICE_EMAIL).count() == 2
    _trial_3_days_left(company_a)
    trial_reminders_send()
    assert "kończy się za 3 dni" in mailoutbox[0].subject


def test_an_unknown_kind_is_404(operator_client):
    assert operator_client.get("/operator/emails/nope/").status_code == 404
    assert operator_client.post("/operator/emails/nope/reset/").status_code == 404


def test_nobody_but_an_operator_reaches_the_service_emails(public_ip_client, client_a, szef):
    assert public_ip_client.get("/operator/emails/").status_code == 302
    response = public_ip_client.post(EDIT, {"subject_pl": "x", "body_pl": "x"})
    assert response.status_code == 302 and "/operator/accounts/login/" in response["Location"]
    assert not ServiceEmailTemplate.objects.exists()
    # the company's host knows no such page
    assert client_a.login_as(szef).get(EDIT).status_code == 404
