"""Portal accounts: a separate realm from staff. Enabling a contact sends an invitation
with a set-password link; sign-in, sign-out, reset; disabling, deleting the contact or
changing the password ends sessions at once; the API validates the permissions."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tenants.utils import schema_context

from crm.contacts.models import ContactPerson
from crm.contacts.services import contact_delete, contact_update
from crm.portal.models import PortalAccount
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory
from tests.crm.portal.conftest import PASSWORD, contact_with_portal, sign_in

LINK = re.compile(r"https?://\S+/portal/password/\d+/\S+/")


def _link_path(body: str) -> str:
    found = LINK.search(body)
    assert found, body
    return "/" + found.group(0).split("/", 3)[3]


def test_enabling_the_portal_over_the_api_sends_an_invitation_whose_link_sets_the_password(
    api_szef, client_a, company_a
):
    with schema_context(company_a.schema_name):
        contact = ContactPersonFactory(customer=CustomerFactory(), email="ewa@klient.test")
    mail.outbox.clear()

    response = api_szef.patch(
        f"/api/v1/contacts/{contact.pk}/",
        {"portal_enabled": True, "portal_permissions": ["invoices", "tickets"]},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["portal_permissions"] == ["invoices", "tickets"]
    assert [m.to for m in mail.outbox] == [["ewa@klient.test"]]
    path = _link_path(mail.outbox[0].body)
    assert client_a.get(path).status_code == 200
    short = client_a.post(path, {"password1": "krótkie", "password2": "krótkie"})
    assert short.status_code == 400 and "8" in short.content.decode()
    done = client_a.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/portal/"
    assert client_a.get("/portal/").status_code == 200
    assert client_a.get(path).status_code == 404  # a used link is spent


def test_an_unknown_permission_is_refused_naming_the_field_and_nothing_changes(api_szef, company_a):
    with schema_context(company_a.schema_name):
        contact = ContactPersonFactory(customer=CustomerFactory(), email="ewa@klient.test")

    response = api_szef.patch(
        f"/api/v1/contacts/{contact.pk}/",
        {"portal_enabled": True, "portal_permissions": ["invoices", "payroll"]},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "payroll" in str(response.json()["portal_permissions"])
    with schema_context(company_a.schema_name):
        assert ContactPerson.objects.get(pk=contact.pk).portal_enabled is False


def test_a_contact_without_an_email_gets_no_invitation_until_they_have_one(api_szef, company_a):
    with schema_context(company_a.schema_name):
        contact = ContactPersonFactory(customer=CustomerFactory(), email="")
    mail.outbox.clear()
    response = api_szef.patch(
        f"/api/v1/contacts/{contact.pk}/", {"portal_enabled": True}, content_type="application/json"
    )
    assert response.status_code == 200
    assert mail.outbox == []


def test_two_contacts_with_one_email_cannot_both_have_the_portal(api_szef, company_a, portal_contact):
    with schema_context(company_a.schema_name):
        twin = ContactPersonFactory(customer=CustomerFactory(), email=portal_contact.email)
    response = api_szef.patch(f"/api/v1/contacts/{twin.pk}/", {"portal_enabled": True}, content_type="application/json")
    assert response.status_code == 400 and "portal_enabled" in response.json()


def test_staff_enable_the_portal_on_the_customer_card(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        contact = ContactPersonFactory(customer=CustomerFactory(), name="Ewa Nowak", email="ewa@klient.test")
    client_a.login_as(szef)
    mail.outbox.clear()
    response = client_a.post(
        f"/customers/contacts/{contact.pk}/edit/",
        {
            "name": "Ewa Nowak",
            "email": "ewa@klient.test",
            "portal_enabled": "on",
            "portal_permissions": ["offers", "kb"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context(company_a.schema_name):
        contact.refresh_from_db()
        assert contact.portal_enabled and contact.portal_permissions == ["offers", "kb"]
    assert [m.to for m in mail.outbox] == [["ewa@klient.test"]]


def test_wrong_password_is_refused_and_the_right_one_signs_in(client_a, portal_contact):
    wrong = client_a.post("/portal/login/", {"email": portal_contact.email, "password": "nie-to-hasło"})
    assert wrong.status_code == 400 and "Nieprawidłowy" in wrong.content.decode()
    assert client_a.get("/portal/").status_code == 302
    sign_in(client_a, portal_contact.email)
    page = client_a.get("/portal/")
    assert page.status_code == 200 and portal_contact.name in page.content.decode()


def test_logout_ends_the_portal_session(portal_client):
    assert portal_client.post("/portal/logout/").status_code == 302
    assert portal_client.get("/portal/")["Location"].startswith("/portal/login/")


def test_disabling_the_portal_ends_the_session_at_once(portal_client, portal_contact, company_a, szef):
    with schema_context(company_a.schema_name):
        contact_update(contact=portal_contact, actor=szef, data={"portal_enabled": False})
    assert portal_client.get("/portal/").status_code == 302


def test_deleting_the_contact_ends_the_session_at_once(portal_client, portal_contact, company_a, szef):
    with schema_context(company_a.schema_name):
        contact_delete(contact=ContactPerson.objects.get(pk=portal_contact.pk), actor=szef)
        assert not PortalAccount.objects.exists()
    assert portal_client.get("/portal/").status_code == 302


def test_a_password_change_keeps_this_session_and_ends_the_others(client_a, company_a, portal_contact):
    other = type(client_a)(company_a)
    sign_in(other, portal_contact.email)
    sign_in(client_a, portal_contact.email)
    response = client_a.post(
        "/portal/profile/",
        {"old_password": PASSWORD, "password1": "Nowe-hasło-2027", "password2": "Nowe-hasło-2027"},
    )
    assert response.status_code == 302
    assert client_a.get("/portal/").status_code == 200
    assert other.get("/portal/").status_code == 302


def test_password_reset_mails_a_link_only_to_a_portal_account(client_a, portal_contact):
    mail.outbox.clear()
    for email in (portal_contact.email, "nikt@nigdzie.test"):
        response = client_a.post("/portal/password/reset/", {"email": email})
        assert response.status_code == 200
    assert [m.to for m in mail.outbox] == [[portal_contact.email]]
    path = _link_path(mail.outbox[0].body)
    assert client_a.post(path, {"password1": "Reset-hasło-2027", "password2": "Reset-hasło-2027"}).status_code == 302


def test_a_portal_session_is_not_a_staff_session(portal_client):
    assert portal_client.get("/")["Location"].startswith("/accounts/login/")
    assert portal_client.get("/api/v1/customers/").status_code == 401


def test_a_staff_session_sees_the_portal_login_not_a_contact(client_a, szef, portal_contact):
    client_a.login_as(szef)
    assert client_a.get("/portal/")["Location"].startswith("/portal/login/")


def test_the_same_email_is_a_contact_in_two_companies_and_staff_in_one_without_a_link(
    client_a, client_b, company_a, company_b, szef
):
    contact_with_portal(company_a, email=szef.email, permissions=["kb"])
    contact_with_portal(company_b, email=szef.email, permissions=["tickets"])
    sign_in(client_b, szef.email)
    assert client_b.get("/portal/tickets/").status_code == 200
    assert client_b.get("/portal/kb/").status_code == 404
    sign_in(client_a, szef.email)
    assert client_a.get("/portal/kb/").status_code == 200
    assert client_a.get("/settings/")["Location"].startswith("/accounts/login/")


def test_the_command_gives_portal_access(company_a, client_a):
    with schema_context(company_a.schema_name):
        ContactPersonFactory(customer=CustomerFactory(), email="cmd@klient.test")
    call_command(
        "portal_access",
        "--company",
        company_a.subdomain,
        "--email",
        "cmd@klient.test",
        "--password",
        PASSWORD,
        "--permissions",
        "invoices,offers",
    )
    sign_in(client_a, "cmd@klient.test")
    assert client_a.get("/portal/offers/").status_code == 200
    assert client_a.get("/portal/tickets/").status_code == 404


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "nikt@klient.test", "--password", PASSWORD], "Nie ma osoby"),
        (["--email", "cmd@klient.test", "--password", "krótkie"], "8"),
        (["--email", "cmd@klient.test", "--password", PASSWORD, "--permissions", "payroll"], "payroll"),
    ],
)
def test_the_command_refuses_bad_input_with_a_clear_message(company_a, args, message):
    with schema_context(company_a.schema_name):
        ContactPersonFactory(customer=CustomerFactory(), email="cmd@klient.test")
    with pytest.raises(CommandError, match=message):
        call_command("portal_access", "--company", company_a.subdomain, *args)
