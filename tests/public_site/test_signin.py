from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.core import mail
from django_tenants.utils import schema_context

from crm.accounts.models import Role, User
from tenants.models import Company, CompanyStatus
from tenants.selectors import companies_for_email
from tenants.tasks import company_addresses_email_send

PORT = settings.IMCRM_PUBLIC_PORT


def _login_url(sub: str) -> str:
    return f"http://{sub}.{settings.IMCRM_BASE_DOMAIN}:{PORT}/accounts/login/"


@pytest.mark.parametrize("typed", ["alfa", " ALFA ", "alfa.imcrm.localhost", "https://alfa.imcrm.localhost/"])
def test_typing_the_company_address_sends_you_to_its_login_page(public_client, typed):
    response = public_client.get("/zaloguj/", {"subdomain": typed})

    assert response.status_code == 302
    assert response["Location"] == _login_url("alfa")


@pytest.mark.parametrize("typed", ["nie-ma-takiej", "www", "zła nazwa"])
def test_an_unknown_address_gets_a_clear_message_and_stays(public_client, typed):
    response = public_client.get("/zaloguj/", {"subdomain": typed})
    body = html.unescape(response.content.decode())

    assert response.status_code == 200
    assert "Nie znamy firmy o tym adresie." in body
    assert f'value="{typed}"' in body


def test_a_pooled_schema_is_not_a_company_you_can_sign_in_to(public_client):
    pooled = Company.objects.filter(status=CompanyStatus.POOL).first()
    assert pooled is not None
    Company.objects.filter(pk=pooled.pk).update(subdomain="w-puli")

    response = public_client.get("/zaloguj/", {"subdomain": "w-puli"})

    assert response.status_code == 200


def test_signin_page_links_to_the_address_reminder(public_client):
    body = html.unescape(public_client.get("/zaloguj/").content.decode())
    assert "/zaloguj/przypomnij-adres/" in body
    assert "Nie pamiętasz adresu swojej firmy?" in body


def _enqueue_inline(monkeypatch):
    from public_site import signin

    sent = []

    def inline(task, *args, **kwargs):
        sent.append(args)
        task.apply(args=args, throw=True)

    monkeypatch.setattr(signin, "enqueue", inline)
    return sent


def _screen(response) -> str:
    body = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"', "", body)


def test_forgotten_address_mails_every_company_of_that_email_and_nothing_else(
    public_client, company_a, company_b, monkeypatch
):
    with schema_context(company_b.schema_name):
        User.objects.create_user("szef@alfa.test", "x" * 12, name="Anna w Becie", role=Role.PRACOWNIK)
    _enqueue_inline(monkeypatch)

    response = public_client.post("/zaloguj/przypomnij-adres/", {"email": "  Szef@Alfa.test "})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["szef@alfa.test"]
    assert message.subject == "Adresy Twoich firm w ImCRM"
    assert f"{company_a.name}: http://alfa.{settings.IMCRM_BASE_DOMAIN}:{PORT}/" in message.body
    assert f"{company_b.name}: http://beta.{settings.IMCRM_BASE_DOMAIN}:{PORT}/" in message.body
    assert "&amp;" not in message.body


def test_forgotten_address_screen_is_the_same_for_a_known_and_an_unknown_email(public_client, monkeypatch):
    _enqueue_inline(monkeypatch)

    known = public_client.post("/zaloguj/przypomnij-adres/", {"email": "szef@alfa.test"})
    unknown = public_client.post("/zaloguj/przypomnij-adres/", {"email": "nikt@nigdzie.test"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    known_page = public_client.get(known["Location"])
    unknown_page = public_client.get(unknown["Location"])
    assert _screen(known_page) == _screen(unknown_page)
    assert "Jeśli ten adres e-mail należy do użytkownika którejś firmy w ImCRM" in html.unescape(_screen(known_page))
    assert [m.to for m in mail.outbox] == [["szef@alfa.test"]]


def test_forgotten_address_with_a_bad_email_says_so_and_sends_nothing(public_client, monkeypatch):
    sent = _enqueue_inline(monkeypatch)

    response = public_client.post("/zaloguj/przypomnij-adres/", {"email": "to-nie-email"})

    assert response.status_code == 200
    assert "Podaj poprawny adres e-mail." in html.unescape(response.content.decode())
    assert sent == []


def test_one_inbox_gets_only_a_few_reminders_an_hour_but_the_screen_does_not_change(
    public_client, monkeypatch, settings
):
    settings.IMCRM_PUBLIC_RATE_LIMITS = {"address_reminder_email": (2, 3600)}
    sent = _enqueue_inline(monkeypatch)

    answers = [public_client.post("/zaloguj/przypomnij-adres/", {"email": "szef@alfa.test"}) for _ in range(3)]

    assert {a.status_code for a in answers} == {302}
    assert len(sent) == 2


def test_inactive_staff_pooled_and_cancelled_companies_are_not_listed(company_a, company_b):
    with schema_context(company_a.schema_name):
        User.objects.create_user("byly@firma.test", "x" * 12, is_active=False)
    with schema_context(company_b.schema_name):
        User.objects.create_user("byly@firma.test", "x" * 12)
    assert [c.subdomain for c in companies_for_email(email="BYLY@firma.test")] == ["beta"]

    Company.objects.filter(pk=company_b.pk).update(status=CompanyStatus.CANCELLED)
    assert companies_for_email(email="byly@firma.test") == []


def test_reminder_task_sends_nothing_to_a_stranger(companies, db):
    assert company_addresses_email_send("nikt@nigdzie.test") == 0
    assert mail.outbox == []


def test_reminder_task_writes_in_the_language_asked_for(company_a):
    assert company_addresses_email_send("szef@alfa.test", "en") == 1
    assert mail.outbox[0].subject == "The addresses of your companies in ImCRM"
