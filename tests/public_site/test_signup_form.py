from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.core import mail
from django_tenants.utils import schema_context, schema_exists

from crm.accounts.models import Role, User
from crm.categories.models import DealStatus
from tenants.models import Company, CompanyStatus, Domain
from tests.public_site.helpers import GOOD_PASSWORD, signup_data


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_signup_page_shows_the_address_suffix_and_the_password_rule_before_any_attempt(public_client):
    response = public_client.get("/signup/")
    body = _text(response)

    assert response.status_code == 200
    assert f".{settings.IMCRM_BASE_DOMAIN}" in body
    assert "Hasło powinno zawierać minimum 8 znaków." in body
    assert "Testuj za darmo przez 14 dni" in body
    for name in ("company_name", "subdomain", "email", "password", "accept_terms"):
        assert f'name="{name}"' in body
    assert re.search(r'<label[^>]+for="id_subdomain"', body)


def test_signup_page_has_no_inline_script_or_style(public_client):
    body = public_client.get("/signup/").content.decode()

    assert "js/signup.js" in body
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert ' style="' not in body


def test_signup_creates_the_company_and_sends_the_browser_to_its_host(public_client):
    data = signup_data()
    response = public_client.post("/signup/", data)

    sub = data["subdomain"]
    assert response.status_code == 302
    assert response["Location"].startswith(f"http://{sub}.{settings.IMCRM_BASE_DOMAIN}")
    assert "/auth/handoff/" in response["Location"]
    company = Company.objects.get(subdomain=sub)
    assert company.name == "Łódź Śruby Sp. z o.o."
    assert company.status == CompanyStatus.TRIAL
    assert company.schema_name == "c_" + sub.replace("-", "_")
    assert (company.trial_ends_at - company.created_at).days == 14
    assert Domain.objects.filter(tenant=company, domain=f"{sub}.{settings.IMCRM_BASE_DOMAIN}").exists()
    with schema_context(company.schema_name):
        owner = User.objects.get()
        assert owner.email == "szef@lodz-sruby.test"
        assert owner.role == Role.SZEF
        assert owner.check_password(GOOD_PASSWORD)
        assert DealStatus.objects.filter(locked=True).count() == 4


def test_signup_queues_the_welcome_email_and_a_pool_refill(
    public_client, monkeypatch, django_capture_on_commit_callbacks
):
    from tenants import queue

    queued: list[tuple[str, tuple]] = []
    monkeypatch.setattr(queue, "enqueue", lambda task, *args, **kw: queued.append((task.name, args)))
    data = signup_data()

    with django_capture_on_commit_callbacks(execute=True):
        public_client.post("/signup/", data)

    company = Company.objects.get(subdomain=data["subdomain"])
    assert ("tenants.company_welcome_email_send", (company.pk,)) in queued
    assert ("tenants.pool_refill", ()) in queued


def test_welcome_email_names_the_company_its_address_login_and_the_trial_end(public_client):
    from django.utils import formats, timezone, translation

    from tenants.tasks import company_welcome_email_send

    data = signup_data(company_name="Kowalski & Syn <Piekarnia>")
    public_client.post("/signup/", data)
    company = Company.objects.get(subdomain=data["subdomain"])

    company_welcome_email_send(company.pk)

    message = mail.outbox[-1]
    assert message.to == ["szef@lodz-sruby.test"]
    assert message.subject == "Witamy w ImCRM, Kowalski & Syn <Piekarnia>!"
    assert "firma „Kowalski & Syn <Piekarnia>” ma już swój CRM." in message.body
    assert f"http://{data['subdomain']}.{settings.IMCRM_BASE_DOMAIN}" in message.body
    assert "szef@lodz-sruby.test" in message.body
    with translation.override("pl"):
        assert formats.date_format(timezone.localtime(company.trial_ends_at), "SHORT_DATE_FORMAT") in message.body


def test_welcome_task_for_a_company_that_is_gone_sends_nothing(companies, db):
    from tenants.tasks import company_welcome_email_send

    company_welcome_email_send(987654321)

    assert mail.outbox == []


BAD_INPUT = [
    ({"company_name": ""}, "company_name", "Podaj nazwę firmy."),
    ({"company_name": "   "}, "company_name", "Podaj nazwę firmy."),
    ({"company_name": "X" * 201}, "company_name", "najwyżej 200 znaków"),
    ({"subdomain": ""}, "subdomain", "Podaj adres (subdomenę) firmy."),
    ({"subdomain": "Zła_nazwa"}, "subdomain", "Dozwolone są tylko małe litery"),
    ({"subdomain": "-zaczyna"}, "subdomain", "nie może zaczynać się ani kończyć myślnikiem"),
    ({"subdomain": "konczy-"}, "subdomain", "nie może zaczynać się ani kończyć myślnikiem"),
    ({"subdomain": "www"}, "subdomain", "zarezerwowany"),
    ({"subdomain": "operator"}, "subdomain", "zarezerwowany"),
    ({"subdomain": "alfa"}, "subdomain", "Ten adres jest już zajęty."),
    ({"subdomain": "ALFA"}, "subdomain", "Ten adres jest już zajęty."),
    ({"subdomain": "xn--firma"}, "subdomain", "dwóch myślników na pozycjach 3-4"),
    ({"subdomain": "ab"}, "subdomain", "od 3 do 40 znaków"),
    ({"subdomain": "a" * 41}, "subdomain", "od 3 do 40 znaków"),
    ({"email": ""}, "email", "Podaj adres e-mail."),
    ({"email": "to-nie-jest-email"}, "email", "Podaj poprawny adres e-mail."),
    ({"email": "szef@"}, "email", "Podaj poprawny adres e-mail."),
    ({"password": ""}, "password", "Podaj hasło."),
    ({"password": "Kr0tk!e"}, "password", "za krótkie"),
    ({"password": "90817263545"}, "password", "wyłącznie z cyfr"),
    ({"password": "password123"}, "password", "zbyt powszechne"),
    ({"email": "jan.kowalski@firma.test", "password": "jan.kowalski"}, "password", "zbyt podobne"),
    ({"accept_terms": None}, "accept_terms", "zaakceptuj regulamin i politykę prywatności"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT)
def test_bad_signup_input_gets_a_polish_message_next_to_the_field_keeps_input_and_creates_nothing(
    public_client, overrides, field, message
):
    data = signup_data(**overrides)
    companies_before = Company.objects.count()
    domains_before = Domain.objects.count()

    response = public_client.post("/signup/", data)
    body = _text(response)

    assert response.status_code == 200
    error = re.search(rf'<div class="invalid-feedback d-block" id="id_{field}_error"[^>]*>([^<]*)</div>', body)
    assert error, f"no error next to {field}"
    assert message in error.group(1)
    assert Company.objects.count() == companies_before
    assert Domain.objects.count() == domains_before
    sub = (data.get("subdomain") or "").lower()
    if re.fullmatch(r"[a-z0-9-]{3,40}", sub) and sub != "alfa":
        assert not schema_exists("c_" + sub.replace("-", "_"))
    for kept in ("company_name", "subdomain", "email"):
        if field != kept and data.get(kept, "").strip():
            assert f'value="{data[kept]}"' in body, f"{kept} was not kept"


def test_a_rejected_password_is_not_sent_back_but_a_good_one_is_kept_when_the_address_is_taken(public_client):
    weak = _text(public_client.post("/signup/", signup_data(password="Kr0tk!e")))
    taken = _text(public_client.post("/signup/", signup_data(subdomain="alfa")))

    assert 'value="Kr0tk!e"' not in weak
    assert f'value="{GOOD_PASSWORD}"' in taken


def test_every_problem_of_one_attempt_is_shown_at_once(public_client):
    body = _text(public_client.post("/signup/", signup_data(subdomain="www", email="zly", accept_terms=None)))

    assert "zarezerwowany" in body
    assert "Podaj poprawny adres e-mail." in body
    assert "zaakceptuj regulamin" in body


def test_signup_form_is_english_when_the_visitor_chose_english(public_client):
    public_client.post("/i18n/setlang/", {"language": "en", "next": "/signup/"})
    body = _text(public_client.post("/signup/", signup_data(subdomain="www", accept_terms=None)))

    assert "Start your CRM" in body
    assert "This address is reserved. Choose another one." in body
    assert "accept the terms of service and the privacy policy" in body


def test_a_failure_inside_provisioning_shows_a_clear_message_keeps_input_and_leaves_nothing(public_client):
    from tenants.setup import company_setup_step, company_setup_step_remove

    def explode(**kwargs):
        raise RuntimeError("injected failure after the schema was claimed")

    data = signup_data()
    company_setup_step("test-explode", explode, order=1000)
    try:
        response = public_client.post("/signup/", data)
    finally:
        company_setup_step_remove("test-explode")
    body = _text(response)

    assert response.status_code == 200
    assert "Nie udało się utworzyć firmy. Spróbuj ponownie za chwilę." in body
    assert f'value="{data["subdomain"]}"' in body
    assert not Company.objects.filter(subdomain=data["subdomain"]).exists()
    assert not schema_exists("c_" + data["subdomain"].replace("-", "_"))


def test_signup_page_is_not_cached(public_client):
    response = public_client.get("/signup/")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_signup_page_is_not_served_on_a_company_host(client_a):
    assert client_a.get("/signup/").status_code == 404
