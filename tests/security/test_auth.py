"""Signing in and out: one login throttle shared by the login form, the API token
endpoint, the admin and the operator console (per account from one address, and per
address; never a lock-out by account name alone), the operator's two-factor admin
login, fresh session keys, logout/deactivation ending every session and token of the
person at once, CSRF by Origin, and the API description kept for signed-in staff."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context
from freezegun import freeze_time

from billing_saas.models import OperatorAction, OperatorAuditEntry
from crm.accounts.models import ApiToken, User
from crm.activity.models import ActivityEntry, ActivityKind
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


def _api_token(client: Any, email: str, password: str = PASSWORD, language: str = "pl") -> Any:
    return client.post("/api/v1/auth/token/", {"email": email, "password": password}, HTTP_ACCEPT_LANGUAGE=language)


# --- one throttle for the form and the token endpoint ---------------------------------------


def test_failures_on_the_login_form_and_at_the_token_endpoint_share_one_counter(client_a):
    _ip(client_a)
    for _ in range(3):
        _login(client_a, "szef@alfa.test", "zle-haslo")
    answers = [_api_token(client_a, "szef@alfa.test", "zle-haslo").status_code for _ in range(2)]

    assert answers == [400, 429]  # the fifth failure, wherever it happened, locks
    assert _api_token(client_a, "szef@alfa.test").status_code == 429
    assert "Zbyt wiele nieudanych prób" in _login(client_a, "szef@alfa.test").content.decode()
    assert client_a.get(AUTH_PAGE).status_code == 302


def test_failures_at_the_token_endpoint_lock_the_login_form_even_for_the_right_password(client_a):
    _ip(client_a)
    for _ in range(5):
        _api_token(client_a, "pracownik@alfa.test", "zle-haslo")

    response = _login(client_a, "pracownik@alfa.test")

    assert "Zbyt wiele nieudanych prób" in response.content.decode()
    assert client_a.get(AUTH_PAGE).status_code == 302


def test_a_locked_token_endpoint_refuses_the_right_password_in_the_callers_language(client_a):
    _ip(client_a)
    for _ in range(5):
        _api_token(client_a, "szef@alfa.test", "zle-haslo")

    polish = _api_token(client_a, "szef@alfa.test")
    english = _api_token(client_a, "szef@alfa.test", language="en")

    assert polish.status_code == english.status_code == 429
    assert "token" not in polish.json() and int(polish["Retry-After"]) > 0
    assert "Zbyt wiele nieudanych prób logowania" in polish.json()["detail"]
    assert "Too many failed sign-in attempts" in english.json()["detail"]


def test_a_stranger_locking_the_szef_at_the_token_endpoint_does_not_lock_the_szef_elsewhere(company_a):
    attacker, owner = TenantClient(company_a), TenantClient(company_a)
    _ip(attacker)
    _ip(owner)
    for _ in range(8):
        _api_token(attacker, "szef@alfa.test", "zgaduje")
    assert _api_token(attacker, "szef@alfa.test").status_code == 429

    assert _api_token(owner, "szef@alfa.test").status_code == 200
    assert _login(owner, "szef@alfa.test").status_code == 302


def test_one_address_trying_many_accounts_at_the_token_endpoint_is_locked(client_a):
    _ip(client_a)
    for i in range(10):
        _api_token(client_a, f"osoba{i}@alfa.test", "zle-haslo")

    assert _api_token(client_a, "szef@alfa.test").status_code == 429


def test_a_right_password_forgives_that_accounts_earlier_failures(client_a):
    _ip(client_a)
    for _ in range(4):
        _api_token(client_a, "szef@alfa.test", "zle-haslo")
    assert _api_token(client_a, "szef@alfa.test").status_code == 200
    for _ in range(4):
        _api_token(client_a, "szef@alfa.test", "zle-haslo")

    assert _api_token(client_a, "szef@alfa.test").status_code == 200


def test_the_lock_ends_after_its_period(client_a):
    _ip(client_a)
    start = timezone.now()
    with freeze_time(start):
        for _ in range(5):
            _api_token(client_a, "szef@alfa.test", "zle-haslo")
        assert _api_token(client_a, "szef@alfa.test").status_code == 429
    with freeze_time(start + timedelta(minutes=5, seconds=5)):
        assert _api_token(client_a, "szef@alfa.test").status_code == 200


def test_limits_come_from_settings(client_a, settings):
    settings.IMCRM_LOGIN_THROTTLE = [("account_ip", 2, 60), ("ip", 100, 60)]
    _ip(client_a)
    assert [_api_token(client_a, "szef@alfa.test", "zle").status_code for _ in range(2)] == [400, 429]


def test_a_lock_is_written_once_to_the_company_activity_log(client_a, company_a, szef):
    ip = _ip(client_a)
    for _ in range(5):
        _login(client_a, "szef@alfa.test", "zle-haslo")
    for _ in range(3):  # refused while locked: no new entries
        _login(client_a, "szef@alfa.test")
        _api_token(client_a, "szef@alfa.test")

    with schema_context(company_a.schema_name):
        locks = ActivityEntry.objects.filter(kind=ActivityKind.LOGIN_FAILED, message__contains="wstrzymane")
        assert locks.count() == 1
        entry = locks.get()
    assert entry.user_id == szef.pk and entry.ip == ip and "5" in entry.message


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


def test_admin_accepts_a_code_of_the_previous_step_but_not_older(admin_client, operator):
    """The operator's admin login uses allauth's TOTP check, so MFA_TOTP_TOLERANCE = 1 applies."""
    user, secret = operator
    form = {"username": user.email, "password": PASSWORD, "next": "/admin/"}
    with frozen_clock():
        too_old = admin_client.post("/admin/login/?next=/admin/", {**form, "otp_code": totp_code(secret, steps=-2)})
        previous = admin_client.post("/admin/login/?next=/admin/", {**form, "otp_code": totp_code(secret, steps=-1)})

    assert too_old.status_code == 200 and previous.status_code == 302
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


def test_failures_in_the_admin_and_the_operator_console_share_one_counter_and_the_lock_is_audited(
    admin_client, operator
):
    user, secret = operator
    for _ in range(3):
        _admin_login(admin_client, user.email, "zle-haslo", secret)
    for _ in range(2):
        admin_client.post("/operator/accounts/login/", {"login": user.email, "password": "zle-haslo"})

    blocked = admin_client.post("/operator/accounts/login/", {"login": user.email, "password": PASSWORD})

    assert "Zbyt wiele nieudanych prób" in blocked.content.decode()
    assert "_auth_user_id" not in admin_client.session
    entry = OperatorAuditEntry.objects.get(action=OperatorAction.LOGIN_LOCKED)
    assert entry.details["account"] == user.email and entry.details["failures"] == 5


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
    from crm.accounts.services import handover_types, user_deactivate

    laptop, phone, _token = _signed_in_twice_with_a_token(company_a, pracownik)
    with schema_context(company_a.schema_name):
        user_deactivate(user=pracownik, handover={t.key_plural: szef for t in handover_types()})

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


# --- the API's description ------------------------------------------------------------------


def test_api_description_is_served_only_to_signed_in_staff(client_a, szef):
    assert client_a.get("/api/schema/").status_code == 401
    docs = client_a.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/accounts/login/?next=/api/docs/")

    with schema_context(client_a.company.schema_name):
        key = api_key_for(szef)
    assert client_a.get("/api/schema/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    client_a.login_as(szef)
    assert client_a.get("/api/schema/").status_code == 200
    assert client_a.get("/api/docs/").status_code == 200


def test_openapi_schema_documents_the_2fa_code_and_the_403_of_company_rules(client_a, szef):
    schema = client_a.login_as(szef).get("/api/schema/", {"format": "json"}).json()

    body = schema["paths"]["/api/v1/auth/token/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    token_request = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]["properties"]
    assert "code" in token_request and "recovery" in token_request["code"]["description"]
    token_answers = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert {"200", "400", "403", "429"} <= set(token_answers)
    forbidden = schema["paths"]["/api/v1/customers/"]["get"]["responses"]["403"]["description"]
    assert "two-factor" in forbidden
    assert "/api/v1/auth/tokens/" in schema["paths"]
    assert "/api/v1/settings/users/{user_id}/tokens/{id}/" in schema["paths"]
