"""Signup asks for the owner's first and last name; the new Szef is greeted and listed by name."""

from __future__ import annotations

import html

import pytest
from django.core import mail
from django.core.management import call_command
from django_tenants.utils import schema_context

from crm.accounts.models import User
from tenants.models import Company
from tenants.tasks import company_welcome_email_send
from tests.public_site.helpers import signup_data, unique_subdomain


def _owner(sub: str) -> User:
    company = Company.objects.get(subdomain=sub)
    with schema_context(company.schema_name):
        return User.objects.get()


def test_signup_page_asks_for_first_and_last_name(public_client):
    body = html.unescape(public_client.get("/signup/").content.decode())

    assert 'name="first_name"' in body and 'autocomplete="given-name"' in body
    assert 'name="last_name"' in body and 'autocomplete="family-name"' in body
    assert "Imię" in body and "Nazwisko" in body


def test_new_szef_is_named_after_the_first_and_last_name_given(public_client):
    data = signup_data(first_name=" Anna ", last_name="Nowak-Kowalska")
    response = public_client.post("/signup/", data)

    assert response.status_code == 302
    owner = _owner(data["subdomain"])
    assert owner.name == "Anna Nowak-Kowalska"
    assert str(owner) == "Anna Nowak-Kowalska"
    assert owner.get_short_name() == "Anna"


@pytest.mark.parametrize(
    ("field", "message"), [("first_name", "Podaj swoje imię."), ("last_name", "Podaj swoje nazwisko.")]
)
def test_signup_page_left_without_a_name_says_so_and_creates_nothing(public_client, field, message):
    data = signup_data(**{field: "  "})
    response = public_client.post("/signup/", data)

    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not Company.objects.filter(subdomain=data["subdomain"]).exists()


def test_a_client_posting_only_the_original_fields_still_signs_up(public_client):
    data = signup_data(first_name=None, last_name=None)
    response = public_client.post("/signup/", data)

    assert response.status_code == 302
    assert _owner(data["subdomain"]).name == ""


def test_welcome_email_greets_the_owner_by_first_name(public_client, django_capture_on_commit_callbacks):
    data = signup_data(first_name="Anna", last_name="Nowak", company_name="Hurtownia Śrubex Sp. z o.o.")
    public_client.post("/signup/", data)
    company = Company.objects.get(subdomain=data["subdomain"])

    company_welcome_email_send(company.pk)

    body = mail.outbox[-1].body
    assert body.startswith("Dzień dobry Anna,")
    assert "firma „Hurtownia Śrubex Sp. z o.o.” ma już swój CRM." in body


def test_signup_page_asks_for_terms_consent_once(public_client):
    body = html.unescape(public_client.get("/signup/").content.decode())

    assert body.count('name="accept_terms"') == 1
    assert "Zakładając konto akceptujesz" not in body


def test_provision_tenant_takes_the_owners_first_and_last_name(companies, db):
    sub = unique_subdomain("komenda")
    call_command(
        "provision_tenant",
        name="Komenda Sp. z o.o.",
        subdomain=sub,
        email="szef@komenda.test",
        password="Bardzo-tajne-9",
        first_name="Jan",
        last_name="Kowalski",
    )

    assert _owner(sub).name == "Jan Kowalski"


def test_provision_tenant_without_names_still_works(companies, db):
    sub = unique_subdomain("bez-imienia")
    call_command("provision_tenant", name="Bez Imienia", subdomain=sub, email="a@b.test", password="Bardzo-tajne-9")

    assert _owner(sub).name == ""
