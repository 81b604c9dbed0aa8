"""allauth's e-mails in the product's own words: the company's name (not the host the
request named), the recipient's language, links on the canonical address
(crm/accounts/mail.py, templates/account/email/)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core import mail
from django_tenants.utils import schema_context

from crm.accounts.models import User

_URL = re.compile(r"https?://\S+")


def _reset(client, email="pracownik@alfa.test", **extra):
    response = client.post("/accounts/password/reset/", {"email": email}, **extra)
    assert response.status_code == 302
    return response


def _language(company, email, language) -> None:
    with schema_context(company.schema_name):
        User.objects.filter(email=email).update(language=language)


def test_password_reset_mail_names_the_company_in_polish_and_not_the_host(client_a):
    _reset(client_a)

    message = mail.outbox[-1]
    assert message.subject == "[Alfa Sp. z o.o.] Ustaw nowe hasło do ImCRM"
    assert "poprosił o nowe hasło do konta pracownik@alfa.test w CRM firmy „Alfa Sp. z o.o.”." in message.body
    assert "Zespół ImCRM dla firmy „Alfa Sp. z o.o.”" in message.body
    assert "/accounts/password/reset/key/" in message.body
    without_links = _URL.sub("", f"{message.subject}\n{message.body}")
    assert settings.IMCRM_BASE_DOMAIN not in without_links  # the host appears in links only


def test_password_reset_mail_is_in_the_users_language_whoever_asks(client_a, company_a):
    _language(company_a, "pracownik@alfa.test", "en")
    _reset(client_a, HTTP_ACCEPT_LANGUAGE="pl")
    english = mail.outbox[-1]
    assert english.subject == "[Alfa Sp. z o.o.] Set a new password for ImCRM"
    assert (
        "asked for a new password for the account pracownik@alfa.test in the CRM of “Alfa Sp. z o.o.”." in english.body
    )

    _language(company_a, "pracownik@alfa.test", "pl")
    _reset(client_a, HTTP_ACCEPT_LANGUAGE="en")
    assert mail.outbox[-1].subject == "[Alfa Sp. z o.o.] Ustaw nowe hasło do ImCRM"


def test_password_reset_for_an_unknown_address_mails_nobody_and_answers_the_same(client_a):
    known = _reset(client_a)
    unknown = _reset(client_a, email="nikt@nigdzie.test")

    assert known["Location"] == unknown["Location"]
    assert [m.to for m in mail.outbox] == [["pracownik@alfa.test"]]


def test_email_change_confirmation_names_the_company_and_links_to_its_address(client_a, pracownik):
    client_a.login_as(pracownik)
    client_a.post("/accounts/email/", {"email": "piotr.nowy@alfa.test", "action_add": ""})

    message = mail.outbox[-1]
    assert message.to == ["piotr.nowy@alfa.test"]
    assert message.subject == "[Alfa Sp. z o.o.] Potwierdź nowy adres e-mail"
    assert "nowy adres e-mail konta w CRM firmy „Alfa Sp. z o.o.”." in message.body
    assert settings.IMCRM_BASE_DOMAIN not in _URL.sub("", message.body)
