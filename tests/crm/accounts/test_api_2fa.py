"""Two-factor authentication on the API: the token endpoint asks people with 2FA for a
code (TOTP or recovery), the company's "2FA required" bars people without it from
every API operation (token or session) with a message saying what to do, and
switching 2FA on or changing the password revokes the person's tokens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django_tenants.utils import schema_context
from drf_spectacular.generators import SchemaGenerator

from crm.accounts.models import ApiToken, User
from tests.conftest import PASSWORD
from tests.support.api_tokens import api_key_for
from tests.support.totp import frozen_clock, totp_code, totp_wrong_code

TOKEN_URL = "/api/v1/auth/token/"


def _with_totp(company: Any, user: User) -> str:
    secret = generate_totp_secret()
    with schema_context(company.schema_name):
        TOTP.activate(user, secret)
        RecoveryCodes.activate(user)
    return secret


def _token(client: Any, email: str, password: str = PASSWORD, *, language: str = "pl", **fields: Any) -> Any:
    return client.post(TOKEN_URL, {"email": email, "password": password, **fields}, HTTP_ACCEPT_LANGUAGE=language)


def _works(client: Any, key: str) -> bool:
    return client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


# --- the token endpoint and 2FA -------------------------------------------------------------


def test_password_alone_gets_no_token_for_a_person_with_2fa(client_a, company_a, szef):
    _with_totp(company_a, szef)

    response = _token(client_a, szef.email)

    assert response.status_code == 400
    assert "kod" in response.json()["detail"] and "token" not in response.json()
    with schema_context(company_a.schema_name):
        assert not ApiToken.objects.filter(user=szef).exists()


def test_password_and_the_current_totp_code_get_a_working_token(client_a, company_a, szef):
    secret = _with_totp(company_a, szef)
    with frozen_clock():
        response = _token(client_a, szef.email, code=totp_code(secret))

    assert response.status_code == 200
    assert _works(client_a, response.json()["token"])


def test_a_wrong_code_is_refused_with_a_message_in_the_callers_language(client_a, company_a, szef):
    secret = _with_totp(company_a, szef)
    with frozen_clock():
        polish = _token(client_a, szef.email, code=totp_wrong_code(secret))
        english = _token(client_a, szef.email, code=totp_wrong_code(secret), language="en")

    assert polish.status_code == english.status_code == 400
    assert "Nieprawidłowy albo już użyty kod" in polish.json()["detail"]
    assert "two-factor" in english.json()["detail"]


def test_a_totp_code_works_once(client_a, company_a, szef):
    secret = _with_totp(company_a, szef)
    with frozen_clock():
        code = totp_code(secret)
        assert _token(client_a, szef.email, code=code).status_code == 200
        assert _token(client_a, szef.email, code=code).status_code == 400


def test_a_recovery_code_gets_a_token_once(client_a, company_a, szef):
    _with_totp(company_a, szef)
    with schema_context(company_a.schema_name):
        code = RecoveryCodes(Authenticator.objects.get(user=szef, type=Authenticator.Type.RECOVERY_CODES))
        recovery = code.get_unused_codes()[0]

    assert _token(client_a, szef.email, code=recovery).status_code == 200
    assert _token(client_a, szef.email, code=recovery).status_code == 400


def test_a_code_of_the_previous_step_is_accepted_but_not_one_two_steps_away(client_a, company_a, szef):
    """One 30-second step of clock drift is tolerated (MFA_TOTP_TOLERANCE = 1)."""
    secret = _with_totp(company_a, szef)
    with frozen_clock():
        assert _token(client_a, szef.email, code=totp_code(secret, steps=-1)).status_code == 200
        assert _token(client_a, szef.email, code=totp_code(secret, steps=2)).status_code == 400
        assert _token(client_a, szef.email, code=totp_code(secret, steps=-2)).status_code == 400


def test_wrong_codes_count_as_failed_sign_ins_and_lock_even_the_right_code(client_a, company_a, szef):
    secret = _with_totp(company_a, szef)
    with frozen_clock():
        answers = [_token(client_a, szef.email, code=totp_wrong_code(secret)).status_code for _ in range(4)]
        answers.append(_token(client_a, szef.email).status_code)  # a missing code counts too
        locked = _token(client_a, szef.email, code=totp_code(secret))

    assert answers == [400, 400, 400, 400, 429]
    assert locked.status_code == 429 and "Zbyt wiele nieudanych prób" in locked.json()["detail"]
    assert int(locked["Retry-After"]) > 0


# --- "2FA required for all staff" --------------------------------------------------------------


def _operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator(urlconf="config.urls_tenant").get_schema(request=None, public=True)
    found = []
    for path, ops in sorted(schema["paths"].items()):
        for method in ops:
            if method in ("get", "post", "put", "patch", "delete") and path != TOKEN_URL:
                found.append((method, re.sub(r"\{[^}]+\}", "7000001", path)))
    return found


OPERATIONS = _operations()


def _refusals(client: Any, **headers: Any) -> list[str]:
    problems = []
    for method, url in [*OPERATIONS, ("get", "/api/schema/?format=json")]:
        kwargs = {"content_type": "application/json"} if method in ("put", "patch", "delete") else {}
        response = getattr(client, method)(url, **headers, **kwargs)
        detail = response.json().get("detail", "") if response.status_code == 403 else ""
        if response.status_code != 403 or "weryfikacji dwuetapowej" not in detail or "/profile/" not in detail:
            problems.append(f"{method.upper()} {url}: {response.status_code} {detail[:60]}")
    return problems


def test_required_2fa_bars_a_token_without_2fa_from_every_api_operation(client_a, pracownik, company_settings_a):
    with schema_context(client_a.company.schema_name):
        key = api_key_for(pracownik)
    assert _works(client_a, key)
    company_settings_a(mfa_required=True)

    problems = _refusals(client_a, HTTP_AUTHORIZATION=f"Token {key}")

    assert len(OPERATIONS) > 40, "the schema walk found too few operations"
    assert not problems, "\n".join(problems)


def test_required_2fa_bars_a_session_without_2fa_from_every_api_operation(client_a, pracownik, company_settings_a):
    company_settings_a(mfa_required=True)
    client_a.login_as(pracownik)

    problems = _refusals(client_a)

    assert not problems, "\n".join(problems)


def test_required_2fa_message_names_the_profile_page_in_english_too(client_a, pracownik, company_settings_a):
    with schema_context(client_a.company.schema_name):
        key = api_key_for(pracownik)
    company_settings_a(mfa_required=True)

    response = client_a.get("/api/v1/customers/", HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]
    assert "http://alfa.imcrm.localhost/profile/" in response.json()["detail"]


def test_required_2fa_issues_no_token_to_a_person_without_it(client_a, pracownik, company_a, company_settings_a):
    company_settings_a(mfa_required=True)

    response = _token(client_a, pracownik.email)

    assert response.status_code == 403 and "/profile/" in response.json()["detail"]
    with schema_context(company_a.schema_name):
        assert not ApiToken.objects.filter(user=pracownik).exists()


def test_with_2fa_switched_on_the_person_gets_a_token_that_works(client_a, pracownik, company_a, company_settings_a):
    company_settings_a(mfa_required=True)
    secret = _with_totp(company_a, pracownik)
    with frozen_clock():
        response = _token(client_a, pracownik.email, code=totp_code(secret))

    assert response.status_code == 200
    assert client_a.get("/api/v1/customers/", HTTP_AUTHORIZATION=f"Token {response.json()['token']}").status_code == 200


def test_staff_without_2fa_still_reach_their_profile_page_to_switch_it_on(client_a, pracownik, company_settings_a):
    company_settings_a(mfa_required=True)
    page = client_a.login_as(pracownik).get("/profile/")
    assert page.status_code == 200
    assert "/accounts/2fa/totp/activate/" in page.content.decode()
    assert client_a.get("/").status_code == 302  # the rest of the CRM still sends them to enrolment


# --- switching 2FA on or changing the password revokes tokens ----------------------------------------


def test_switching_2fa_on_revokes_the_persons_api_tokens(client_a, company_a, szef, pracownik):
    with schema_context(company_a.schema_name):
        key, colleague = api_key_for(szef), api_key_for(pracownik)

    _with_totp(company_a, szef)

    assert client_a.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert _works(client_a, colleague)


def test_changing_the_password_on_the_password_page_revokes_api_tokens(client_a, company_a, pracownik):
    with schema_context(company_a.schema_name):
        key = api_key_for(pracownik)
    client_a.login_as(pracownik)

    response = client_a.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "Nowe-haslo-2024", "password2": "Nowe-haslo-2024"},
    )

    assert response.status_code == 302
    assert not _works(client_a, key)


def test_a_password_reset_revokes_api_tokens(client_a, company_a, pracownik):
    with schema_context(company_a.schema_name):
        key = api_key_for(pracownik)
    client_a.post("/accounts/password/reset/", {"email": pracownik.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body).group(1)
    page = client_a.get(link)
    form_url = page["Location"] if page.status_code == 302 else link

    done = client_a.post(form_url, {"password1": "Nowe-haslo-2024", "password2": "Nowe-haslo-2024"})

    assert done.status_code == 302
    assert not _works(client_a, key)


@pytest.mark.parametrize("how", ["set_password", "update_name_only"])
def test_any_password_change_revokes_tokens_and_other_saves_do_not(how, client_a, company_a, pracownik):
    """Commands, the admin and future Szef actions all end in set_password() + save()."""
    with schema_context(company_a.schema_name):
        key = api_key_for(pracownik)
        person = User.objects.get(pk=pracownik.pk)
        if how == "set_password":
            person.set_password("Nowe-haslo-2024")
        else:
            person.name = "Piotr Nowak"
        person.save()

    assert _works(client_a, key) is (how == "update_name_only")
