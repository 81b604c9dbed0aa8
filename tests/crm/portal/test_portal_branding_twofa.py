"""The portal in the company's colour (Settings > Portal klienta, Szef only) and the
optional 2FA of portal users (TOTP with recovery codes)."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django_tenants.utils import schema_context

from crm.portal.branding import contrast, text_color_for
from crm.portal.models import PortalAccount, PortalBranding
from tests.crm.portal.conftest import PASSWORD, sign_in


def _code(secret: str, step: int = 1) -> str:
    counter = list(yield_hotp_counters_from_time())[step]
    return format_hotp_value(hotp_value(secret, counter))


# --- colour ------------------------------------------------------------------------------


def test_szef_sets_the_colour_and_the_portal_serves_it(client_a, company_a, szef, portal_contact):
    client_a.login_as(szef)
    response = client_a.post("/settings/portal/", {"primary_color": "#0B5"})
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        branding = PortalBranding.current()
    assert branding.primary_color == "#00bb55"
    client_a.logout()
    login = client_a.get("/portal/login/").content.decode()
    assert "/portal/brand.css?v=" in login
    css = client_a.get("/portal/brand.css").content.decode()
    assert "--portal-primary: #00bb55" in css and f"--portal-on-primary: {branding.text_color}" in css


@pytest.mark.parametrize("value", ["red", "#12345", "#ggg000", "javascript:alert(1)", "#123456;}body{"])
def test_a_colour_that_is_not_hex_is_refused_and_nothing_changes(client_a, company_a, szef, value):
    client_a.login_as(szef)
    client_a.post("/settings/portal/", {"primary_color": "#112233"})
    response = client_a.post("/settings/portal/", {"primary_color": value})
    assert response.status_code == 400
    assert "szesnastkowym" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert PortalBranding.current().primary_color == "#112233"


@pytest.mark.parametrize("color", ["#ffff00", "#000080", "#777777", "#1f6feb", "#f0f0f0"])
def test_the_text_on_the_colour_is_always_readable(color):
    assert contrast(color, text_color_for(color)) >= 4.5


def test_a_light_colour_gets_black_text_and_keeps_the_default_links(client_a, szef, company_a):
    client_a.login_as(szef)
    response = client_a.post("/settings/portal/", {"primary_color": "#ffee00"}, follow=True)
    assert "tekst na nim będzie czarny" in response.content.decode()
    css = client_a.get("/portal/brand.css").content.decode()
    assert "--portal-on-primary: #000000" in css and "--bs-link-color" not in css


def test_clearing_the_colour_brings_back_the_default_look(client_a, szef):
    client_a.login_as(szef)
    client_a.post("/settings/portal/", {"primary_color": "#123456"})
    client_a.post("/settings/portal/", {"primary_color": ""})
    assert client_a.get("/portal/brand.css").content == b""
    client_a.logout()
    assert "brand.css" not in client_a.get("/portal/login/").content.decode()


@pytest.mark.parametrize("who", ["kierownik", "pracownik"])
def test_only_szef_changes_the_portal_colour(request, client_a, company_a, who):
    client_a.login_as(request.getfixturevalue(who))
    assert client_a.post("/settings/portal/", {"primary_color": "#123456"}).status_code in (302, 403)
    with schema_context(company_a.schema_name):
        assert not PortalBranding.objects.exists()


# --- 2FA ---------------------------------------------------------------------------------


def _enable(portal_client) -> tuple[str, list[str]]:
    page = portal_client.get("/portal/profile/2fa/")
    assert page.status_code == 200
    found = re.search(r'data-testid="portal-totp-secret">([A-Z2-7=]+)<', page.content.decode())
    assert found is not None
    secret = found.group(1)
    response = portal_client.post("/portal/profile/2fa/", {"code": _code(secret)})
    assert response.status_code == 200
    codes = response.context["codes"]
    return secret, codes


def test_a_wrong_code_does_not_switch_2fa_on(portal_client, company_a, portal_contact):
    portal_client.get("/portal/profile/2fa/")
    response = portal_client.post("/portal/profile/2fa/", {"code": "000000"})
    assert response.status_code == 400 and "Nieprawidłowy kod" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not PortalAccount.objects.get(contact=portal_contact).twofa_on


def test_with_2fa_the_login_asks_for_a_code(portal_client, client_a, company_a, portal_contact):
    secret, codes = _enable(portal_client)
    assert len(codes) == 10
    with schema_context(company_a.schema_name):
        account = PortalAccount.objects.get(contact=portal_contact)
        assert account.twofa_on and secret not in account.totp_secret  # encrypted at rest
    portal_client.post("/portal/logout/")
    response = client_a.post("/portal/login/", {"email": portal_contact.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/portal/login/code/"
    # not signed in yet
    assert client_a.get("/portal/invoices/")["Location"].startswith("/portal/login/")
    wrong = client_a.post("/portal/login/code/", {"code": "123456"})
    assert wrong.status_code == 400
    ok = client_a.post("/portal/login/code/", {"code": _code(secret, 2)})
    assert ok.status_code == 302
    assert client_a.get("/portal/invoices/").status_code == 200


def test_a_recovery_code_works_once(portal_client, client_a, portal_contact):
    _secret, codes = _enable(portal_client)
    portal_client.post("/portal/logout/")
    for expected in (302, 400):
        client_a.post("/portal/login/", {"email": portal_contact.email, "password": PASSWORD})
        assert client_a.post("/portal/login/code/", {"code": codes[0]}).status_code == expected
        client_a.post("/portal/logout/")


def test_the_code_page_without_a_password_first_goes_back_to_the_login(client_a):
    response = client_a.post("/portal/login/code/", {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == "/portal/login/"


def test_switching_2fa_off_needs_the_password(portal_client, company_a, portal_contact):
    _enable(portal_client)
    portal_client.post("/portal/profile/2fa/off/", {"password": "zle-haslo"})
    with schema_context(company_a.schema_name):
        assert PortalAccount.objects.get(contact=portal_contact).twofa_on
    portal_client.post("/portal/profile/2fa/off/", {"password": PASSWORD})
    with schema_context(company_a.schema_name):
        account = PortalAccount.objects.get(contact=portal_contact)
        assert not account.twofa_on and account.recovery_codes == []
    portal_client.post("/portal/logout/")
    sign_in(portal_client, portal_contact.email)  # one step again
