"""Signing in and out: throttling per IP (never a lock-out by account name), the
operator's two-factor admin login, fresh session keys, and logout/deactivation
ending every session and token of the person at once. CSRF by Origin."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django_tenants.utils import schema_context

from crm.accounts.models import ApiToken, User
from tests.conftest import PASSWORD, TenantClient
from tests.support.api_tokens import api_key_for
from tests.support.totp import frozen_clock, totp_code, totp_wrong_code

AUTH_PAGE = "/accounts/password/change/"  # any page for signed-in staff only


def _ip(client: Any) -> str:
    ip = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
    client.defaults["REMOTE_ADDR"] = ip
    return ip


def _login(client: Any, email: str, password: str = PASSWORD) -> Any:
    return client.post("/accounts/login/", {"login": email, "password": password})


# --- company login throttling -----------------------------------------------------------


def test_repeated_failed_logins_from_one_ip_are_throttled(client_a):
    _ip(client_a)
    for _ in range(10):
        _login(client_a, "szef@alfa.test", "zle-haslo-123")

    response = _login(client_a, "szef@alfa.test")  # even the right password now

    assert response.status_code in (200, 429)
    assert client_a.get(AUTH_PAGE).status_code == 302
    assert "Zbyt wiele" in response.content.decode() or response.status_code == 429


def test_stranger_hammering_the_szef_account_does_not_lock_the_szef_out(company_a):
    attacker, owner = TenantClient(company_a), TenantClient(company_a)
    _ip(attacker)
    _ip(owner)
    for _ in range(30):
        _login(attacker, "szef@alfa.test", "zgaduje-haslo")

    response = _login(owner, "szef@alfa.test")

    assert response.status_code == 302
    assert owner.get(AUTH_PAGE).status_code == 200


# --- the operator's admin login on the public host -----------------------------------------


@pytest.fixture
def operator(companies: Any, db: Any) -> tuple[User, str]:
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    with schema_context("public"):
        user = User.objects.create_user("operator@imcrm.test", PASSWORD, is_staff=True, is_superuser=True)
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
    return user, secret


@pytest.fixture
def admin_client(companies: Any, db: Any) -> Client:
    client = Client(HTTP_HOST=settings.IMCRM_BASE_DOMAIN)
    _ip(client)
    return client


def _admin_login(client: Client, email: str, password: str, secret: str, *, right_code: bool = True) -> Any:
    """Password and a code of `secret` (the current one, or one valid at no step near now),
    on a frozen clock: the code cannot expire between computing and checking it."""
    with frozen_clock():
        code = totp_code(secret) if right_code else totp_wrong_code(secret)
        return client.post(
            "/admin/login/?next=/admin/",
            {"username": email, "password": password, "otp_code": code, "next": "/admin/"},
        )


def test_admin_login_page_asks_for_a_two_factor_code(admin_client):
    body = admin_client.get("/admin/login/").content.decode()
    assert 'name="otp_code"' in body


def test_operator_signs_in_to_admin_with_password_and_totp_code(admin_client, operator):
    user, secret = operator
    response = _admin_login(admin_client, user.email, PASSWORD, secret)

    assert response.status_code == 302
    assert admin_client.get("/admin/").status_code == 200


def test_admin_refuses_a_password_without_a_valid_totp_code(admin_client, operator):
    user, secret = operator
    response = _admin_login(admin_client, user.email, PASSWORD, secret, right_code=False)

    assert response.status_code == 200
    assert admin_client.get("/admin/").status_code == 302


def test_admin_refuses_an_operator_without_an_authenticator(admin_client, operator):
    user, secret = operator
    with schema_context("public"):
        Authenticator.objects.filter(user=user).delete()

    _admin_login(admin_client, user.email, PASSWORD, secret)

    assert admin_client.get("/admin/").status_code == 302


def test_admin_refuses_a_staff_session_that_skipped_the_second_factor(admin_client, operator):
    user, _secret = operator
    with schema_context("public"):
        admin_client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    response = admin_client.get("/admin/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_login_is_throttled_per_ip_but_not_for_another_ip(admin_client, operator, companies):
    user, secret = operator
    for _ in range(5):
        _admin_login(admin_client, user.email, "zle-haslo", secret, right_code=False)

    blocked = _admin_login(admin_client, user.email, PASSWORD, secret)
    assert "Zbyt wiele" in blocked.content.decode()
    assert admin_client.get("/admin/").status_code == 302

    elsewhere = Client(HTTP_HOST=settings.IMCRM_BASE_DOMAIN)
    _ip(elsewhere)
    _admin_login(elsewhere, user.email, PASSWORD, secret)  # the blocked try never used it
    assert elsewhere.get("/admin/").status_code == 200


# --- session keys, logout and deactivation -----------------------------------------------


def test_session_key_changes_at_login(client_a, company_a):
    _ip(client_a)
    with schema_context(company_a.schema_name):
        before = SessionStore()
        before["visited"] = True
        before.create()
    client_a.cookies[settings.SESSION_COOKIE_NAME] = before.session_key

    assert _login(client_a, "szef@alfa.test").status_code == 302

    after = client_a.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != before.session_key
    with schema_context(company_a.schema_name):
        assert not Session.objects.filter(session_key=before.session_key).exists()


def _signed_in_twice_with_a_token(company: Any, user: User) -> tuple[TenantClient, TenantClient, str]:
    laptop, phone = TenantClient(company).login_as(user), TenantClient(company).login_as(user)
    with schema_context(company.schema_name):
        token = api_key_for(user)
    assert laptop.get(AUTH_PAGE).status_code == 200 and phone.get(AUTH_PAGE).status_code == 200
    return laptop, phone, token


def test_logout_ends_every_session_and_token_of_that_person(company_a, szef, pracownik):
    laptop, phone, token = _signed_in_twice_with_a_token(company_a, szef)
    colleague = TenantClient(company_a).login_as(pracownik)

    laptop.post("/accounts/logout/")

    assert phone.get(AUTH_PAGE).status_code == 302
    assert phone.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    assert colleague.get(AUTH_PAGE).status_code == 200  # only that person's sessions end


def test_deactivating_a_user_ends_all_their_sessions_and_tokens_at_once(company_a, pracownik, szef):
    laptop, phone, token = _signed_in_twice_with_a_token(company_a, pracownik)
    boss = TenantClient(company_a).login_as(szef)

    with schema_context(company_a.schema_name):
        pracownik.is_active = False
        pracownik.save()

    assert laptop.get(AUTH_PAGE).status_code == 302
    assert phone.get(AUTH_PAGE).status_code == 302
    assert TenantClient(company_a).get("/api/v1/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    with schema_context(company_a.schema_name):
        assert not ApiToken.objects.filter(user=pracownik).exists()
    assert boss.get(AUTH_PAGE).status_code == 200


def test_deactivation_through_the_settings_service_ends_sessions_at_once(company_a, pracownik, szef):
    from crm.accounts.services import user_deactivate

    laptop, phone, _token = _signed_in_twice_with_a_token(company_a, pracownik)
    with schema_context(company_a.schema_name):
        user_deactivate(user=pracownik, customers_to=szef, tasks_to=szef, deals_to=szef)

    assert laptop.get(AUTH_PAGE).status_code == 302
    assert phone.get(AUTH_PAGE).status_code == 302


def test_saving_an_active_user_keeps_their_sessions(company_a, pracownik):
    laptop = TenantClient(company_a).login_as(pracownik)
    with schema_context(company_a.schema_name):
        pracownik.name = "Piotr Nowak"
        pracownik.save()
    assert laptop.get(AUTH_PAGE).status_code == 200


# --- CSRF by Origin -----------------------------------------------------------------------


def _csrf_client(company: Any) -> tuple[TenantClient, str]:
    client = TenantClient(company, enforce_csrf_checks=True)
    _ip(client)
    client.get("/accounts/login/")
    return client, client.cookies[settings.CSRF_COOKIE_NAME].value


def test_post_with_origin_of_another_company_subdomain_is_refused(company_a):
    client, token = _csrf_client(company_a)
    response = client.post(
        "/accounts/login/",
        {"login": "szef@alfa.test", "password": PASSWORD, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN=f"http://beta.{settings.IMCRM_BASE_DOMAIN}",
    )
    assert response.status_code == 403


def test_post_with_the_company_own_origin_passes_the_csrf_check(company_a):
    client, token = _csrf_client(company_a)
    response = client.post(
        "/accounts/login/",
        {"login": "szef@alfa.test", "password": PASSWORD, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN=f"http://alfa.{settings.IMCRM_BASE_DOMAIN}",
    )
    assert response.status_code == 302


def test_signed_in_post_from_another_company_origin_is_refused(company_a, szef):
    client, _token = _csrf_client(company_a)
    client.login_as(szef)
    response = client.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/", "csrfmiddlewaretoken": client.cookies[settings.CSRF_COOKIE_NAME].value},
        HTTP_ORIGIN=f"http://beta.{settings.IMCRM_BASE_DOMAIN}",
    )
    assert response.status_code == 403
    assert settings.CSRF_TRUSTED_ORIGINS == []


def test_session_and_csrf_cookies_are_host_only_and_http_only(client_a):
    _ip(client_a)
    _login(client_a, "szef@alfa.test")
    session, csrf = client_a.cookies[settings.SESSION_COOKIE_NAME], client_a.cookies[settings.CSRF_COOKIE_NAME]
    assert session["domain"] == "" and csrf["domain"] == ""
    assert session["httponly"] and csrf["httponly"]
    assert session["samesite"] == "Lax"
