"""A new template of a product e-mail starts from the text that e-mail is sent with
today (with merge fields, Polish and English), on the settings page and through the API;
"restore the default" deletes the company's text so the built-in one is sent again. A
template of the company's own (custom) starts empty."""

from __future__ import annotations

from django.core import mail
from django_tenants.utils import schema_context

from crm.company.mail_defaults import mail_template_default
from crm.company.models import EmailTemplate
from crm.tasks.services import task_reminder_send
from tests.crm.tasks.factories import TaskFactory

PAGE = "/settings/email-templates/"
API = "/api/v1/settings/email-templates/"


def _initial(page: str, name: str) -> str:
    """The value of a form field as rendered (input value or textarea content)."""
    import html
    import re

    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.DOTALL
    )
    assert found is not None, name
    return html.unescape(found.group(1)).strip()


def test_a_new_product_email_template_starts_from_the_built_in_text_in_both_languages(client_a, szef):
    page = client_a.login_as(szef).get(f"{PAGE}new/?kind=task_reminder").content.decode()

    assert _initial(page, "subject_pl") == "Przypomnienie: {{ task.title }}"
    body = _initial(page, "body_pl")
    assert body.startswith("Przypomnienie o zadaniu: {{ task.title }}") and "Otwórz zadanie: {{ task.link }}" in body
    assert _initial(page, "subject_en") == "Reminder: {{ task.title }}"
    assert "Open the task: {{ task.link }}" in _initial(page, "body_en")


def test_a_custom_template_starts_empty(client_a, szef):
    page = client_a.login_as(szef).get(f"{PAGE}new/?kind=custom").content.decode()

    assert 'name="subject_pl"' in page and "{{ task" not in page
    assert _initial(page, "body_pl") == ""


def test_the_prefilled_text_saved_unchanged_sends_what_the_built_in_one_says(client_a, company_a, szef, pracownik):
    client_a.login_as(szef)
    subject, body = mail_template_default("task_reminder", "pl")
    saved = client_a.post(
        f"{PAGE}new/", {"kind": "task_reminder", "name": "Przypomnienie", "subject_pl": subject, "body_pl": body}
    )
    assert saved.status_code == 302
    with schema_context(company_a.schema_name):
        task = TaskFactory(title="Zadzwoń do ACME", assignee=pracownik, description="Zapytaj o umowę")
        assert task_reminder_send(task_id=task.pk)

    sent = mail.outbox[-1]
    assert sent.to == [pracownik.email] and "Przypomnienie: Zadzwoń do ACME" in sent.subject
    assert sent.body.startswith("Przypomnienie o zadaniu: Zadzwoń do ACME")
    assert "Zapytaj o umowę" in sent.body and f"/tasks/{task.pk}/" in sent.body


def test_restoring_the_default_deletes_the_companys_text(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        template = EmailTemplate.objects.create(kind="invoice", name="Faktura", subject_pl="S", body_pl="B")
    client_a.login_as(szef)

    form = client_a.get(f"{PAGE}{template.pk}/").content.decode()
    response = client_a.post(f"{PAGE}{template.pk}/delete/", follow=True)

    assert 'data-testid="template-restore"' in form and f"{PAGE}{template.pk}/delete/" in form
    assert "Przywrócono domyślny tekst e-maila." in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not EmailTemplate.objects.exists()
    assert f"{PAGE}new/?kind=invoice" in client_a.get(PAGE).content.decode()


def test_the_api_fills_what_a_new_product_template_leaves_out_with_the_built_in_text(api_szef, company_a):
    created = api_szef.post(
        API, {"kind": "invoice", "name": "Faktura", "subject_pl": "Faktura {{ invoice.number }}"}, "application/json"
    )

    assert created.status_code == 201, created.content
    data = created.json()
    assert data["subject_pl"] == "Faktura {{ invoice.number }}"
    assert "Fakturę w PDF znajdziesz w załączniku." in data["body_pl"] and "{{ invoice.total }}" in data["body_pl"]
    assert data["subject_en"].startswith("Invoice {{ invoice.number }}")
    assert "{{ invoice.due_date }}" in data["body_en"]
    assert api_szef.delete(f"{API}{data['id']}/").status_code == 204
    with schema_context(company_a.schema_name):
        assert not EmailTemplate.objects.exists()


def test_the_api_still_requires_the_text_of_a_custom_template(api_szef, company_a):
    response = api_szef.post(API, {"kind": "custom", "name": "Własny"}, "application/json")

    assert response.status_code == 400 and {"subject_pl", "body_pl"} <= set(response.json())
    with schema_context(company_a.schema_name):
        assert not EmailTemplate.objects.exists()
