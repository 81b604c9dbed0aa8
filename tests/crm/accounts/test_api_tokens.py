"""API tokens of our own: several per person, only hashes stored, last use recorded;
each person sees and revokes theirs on the profile page (and through the API), Szef
revokes anybody's in Settings > Users (and through the API). Rank and outsider tests
for every new URL."""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import connection as db_connection
from django.utils import timezone
from django_tenants.utils import schema_context
from freezegun import freeze_time

from crm.accounts.models import ApiToken, User
from crm.accounts.tokens import MAX_TOKENS_PER_USER, api_token_create, api_token_hash
from crm.activity.models import ActivityEntry
from tests.conftest import PASSWORD


def _issue(company: Any, user: User, name: str = "Skrypt") -> tuple[ApiToken, str]:
    with schema_context(company.schema_name):
        issued = api_token_create(user=user, name=name)
    return issued.token, issued.key


def _status(client: Any, key: str) -> int:
    return client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}").status_code


# --- the token itself ----------------------------------------------------------------------


def test_the_token_endpoint_keeps_its_contract_and_each_call_adds_a_named_token(client_a, company_a, szef):
    first = client_a.post("/api/v1/auth/token/", {"email": szef.email, "password": PASSWORD})
    second = client_a.post("/api/v1/auth/token/", {"email": szef.email, "password": PASSWORD, "name": "Integracja"})

    assert first.status_code == second.status_code == 200
    assert set(first.json()) == {"token"}
    assert _status(client_a, first.json()["token"]) == _status(client_a, second.json()["token"]) == 200
    with schema_context(company_a.schema_name):
        assert sorted(ApiToken.objects.filter(user=szef).values_list("name", flat=True)) == ["Integracja", "Token API"]


def test_only_a_hash_of_the_key_is_stored(company_a, szef):
    token, key = _issue(company_a, szef)
    with schema_context(company_a.schema_name):
        stored = ApiToken.objects.values_list().get(pk=token.pk)  # every column
        row = ApiToken.objects.get(pk=token.pk)
    assert key not in str(stored) and row.key_hash == api_token_hash(key)
    assert row.prefix == key[:8]


def test_last_use_is_recorded_at_most_once_a_minute(client_a, company_a, szef):
    token, key = _issue(company_a, szef)
    start = timezone.now()
    with freeze_time(start):
        _status(client_a, key)
    with freeze_time(start + timedelta(seconds=40)):
        _status(client_a, key)
    with schema_context(company_a.schema_name):
        assert ApiToken.objects.get(pk=token.pk).last_used_at == start
    with freeze_time(start + timedelta(seconds=70)):
        _status(client_a, key)
    with schema_context(company_a.schema_name):
        assert ApiToken.objects.get(pk=token.pk).last_used_at == start + timedelta(seconds=70)


def test_past_the_limit_the_least_recently_used_token_makes_room(client_a, company_a, szef):
    _oldest, oldest_key = _issue(company_a, szef, "najstarszy")
    for n in range(MAX_TOKENS_PER_USER - 1):
        _issue(company_a, szef, f"t{n}")
    _status(client_a, oldest_key)  # used: now the most recent

    _issue(company_a, szef, "nowy")

    with schema_context(company_a.schema_name):
        names = set(ApiToken.objects.filter(user=szef).values_list("name", flat=True))
    assert len(names) == MAX_TOKENS_PER_USER
    assert {"najstarszy", "nowy"} <= names and "t0" not in names


def test_keys_issued_by_drf_authtoken_keep_working_after_the_migration(client_a, company_a, szef):
    """Migration accounts.0003 copies each schema's authtoken_token rows (hashed) and drops that table."""
    migration = importlib.import_module("crm.accounts.migrations.0003_api_tokens")
    old_key = "0123456789abcdef0123456789abcdef01234567"
    with schema_context(company_a.schema_name):
        with db_connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamptz, user_id bigint)"
            )
            cursor.execute("INSERT INTO authtoken_token VALUES (%s, now(), %s)", [old_key, szef.pk])
        with db_connection.schema_editor() as editor:
            migration.drf_tokens_carry_over(django_apps, editor)
        with db_connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s "
                "AND table_name = 'authtoken_token'",
                [company_a.schema_name],
            )
            assert cursor.fetchone()[0] == 0  # the plain-text keys are gone
    assert _status(client_a, old_key) == 200


# --- the profile page -------------------------------------------------------------------------


def test_profile_lists_own_tokens_with_name_creation_and_last_use(client_a, company_a, szef, pracownik):
    _issue(company_a, pracownik, "Arkusz kalkulacyjny")
    _issue(company_a, szef, "Token szefa")

    html = client_a.login_as(pracownik).get("/profile/").content.decode()

    assert "Arkusz kalkulacyjny" in html and "Token szefa" not in html
    assert "nigdy" in html  # never used yet
    assert "/accounts/2fa/totp/activate/" in html


@pytest.mark.parametrize("rank", ["szef", "kierownik", "pracownik"])
def test_every_rank_opens_their_own_profile(rank, request, client_a):
    person = request.getfixturevalue(rank)
    response = client_a.login_as(person).get("/profile/")
    assert response.status_code == 200
    assert person.email in response.content.decode()


def test_a_person_revokes_their_own_token_on_the_profile_page(client_a, company_a, pracownik):
    token, key = _issue(company_a, pracownik)
    client_a.login_as(pracownik)

    response = client_a.post("/profile/tokens/revoke/", {"token": token.pk})

    assert response.status_code == 302 and response["Location"] == "/profile/"
    assert _status(client_a, key) == 401
    with schema_context(company_a.schema_name):
        assert ActivityEntry.objects.filter(user=pracownik, message__contains="Skrypt").exists()


def test_nobody_revokes_a_colleagues_token_from_their_own_profile(client_a, company_a, szef, pracownik):
    token, key = _issue(company_a, szef)
    client_a.login_as(pracownik)

    assert client_a.post("/profile/tokens/revoke/", {"token": token.pk}).status_code == 404
    assert client_a.post("/profile/tokens/revoke/", {"token": "9" * 40}).status_code == 404
    assert _status(client_a, key) == 200


def test_profile_of_another_company_is_out_of_reach(client_a, client_b, company_a, szef, outsider):
    token, key = _issue(company_a, szef)
    client_b.login_as(outsider)

    assert client_b.post("/profile/tokens/revoke/", {"token": token.pk}).status_code == 404
    client_a.cookies.update(client_b.cookies)  # B's session on A's host: anonymous there
    assert client_a.get("/profile/")["Location"].startswith("/accounts/login/")
    assert client_a.post("/profile/tokens/revoke/", {"token": token.pk})["Location"].startswith("/accounts/login/")
    assert _status(client_a, key) == 200


# --- Szef in Settings > Users ------------------------------------------------------------------


def test_szef_sees_and_revokes_a_staff_members_token(client_a, company_a, szef, pracownik):
    token, key = _issue(company_a, pracownik, "Eksport do hurtowni")
    client_a.login_as(szef)
    assert f"/settings/users/{pracownik.pk}/tokens/" in client_a.get("/settings/users/").content.decode()

    page = client_a.get(f"/settings/users/{pracownik.pk}/tokens/")
    assert page.status_code == 200 and "Eksport do hurtowni" in page.content.decode()
    response = client_a.post(f"/settings/users/{pracownik.pk}/tokens/", {"token": token.pk})

    assert response.status_code == 302
    assert _status(client_a, key) == 401
    with schema_context(company_a.schema_name):
        assert ActivityEntry.objects.filter(user=szef, message__contains="Eksport do hurtowni").exists()


def test_szef_cannot_revoke_a_token_through_another_persons_page(client_a, company_a, szef, pracownik):
    token, key = _issue(company_a, pracownik)
    client_a.login_as(szef)
    assert client_a.post(f"/settings/users/{szef.pk}/tokens/", {"token": token.pk}).status_code == 404
    assert _status(client_a, key) == 200


@pytest.mark.parametrize("rank", ["kierownik", "pracownik"])
def test_staff_below_szef_cannot_see_or_revoke_tokens_of_others(rank, request, client_a, company_a, szef):
    token, key = _issue(company_a, szef)
    client_a.login_as(request.getfixturevalue(rank))
    assert client_a.get(f"/settings/users/{szef.pk}/tokens/").status_code == 403
    assert client_a.post(f"/settings/users/{szef.pk}/tokens/", {"token": token.pk}).status_code == 403
    assert client_a.get(f"/api/v1/settings/users/{szef.pk}/tokens/").status_code == 403
    assert client_a.delete(f"/api/v1/settings/users/{szef.pk}/tokens/{token.pk}/").status_code == 403
    assert _status(client_a, key) == 200


def test_another_companys_szef_cannot_reach_company_a_tokens(client_b, client_a, company_a, pracownik, outsider):
    token, key = _issue(company_a, pracownik)
    client_b.login_as(outsider)
    assert client_b.get(f"/settings/users/{pracownik.pk}/tokens/").status_code == 404
    assert client_b.post(f"/settings/users/{pracownik.pk}/tokens/", {"token": token.pk}).status_code == 404
    assert client_b.get(f"/api/v1/settings/users/{pracownik.pk}/tokens/").status_code == 404
    assert client_b.delete(f"/api/v1/settings/users/{pracownik.pk}/tokens/{token.pk}/").status_code == 404
    assert client_b.delete(f"/api/v1/auth/tokens/{token.pk}/").status_code == 404
    assert _status(client_a, key) == 200


# --- the same through the API --------------------------------------------------------------------


def test_szef_lists_and_revokes_a_staff_members_tokens_through_the_api(client_a, company_a, szef, pracownik):
    token, key = _issue(company_a, pracownik, "CI")
    client_a.login_as(szef)

    listed = client_a.get(f"/api/v1/settings/users/{pracownik.pk}/tokens/").json()
    assert [(t["id"], t["name"], t["prefix"]) for t in listed["results"]] == [(token.pk, "CI", key[:8])]
    assert "key" not in listed["results"][0] and "key_hash" not in listed["results"][0]
    assert client_a.delete(f"/api/v1/settings/users/{pracownik.pk}/tokens/{token.pk}/").status_code == 204

    assert _status(client_a, key) == 401


def test_a_person_lists_and_revokes_own_tokens_through_the_api(client_a, company_a, szef, pracownik):
    mine, my_key = _issue(company_a, pracownik, "mój")
    theirs, their_key = _issue(company_a, szef, "szefa")
    auth = {"HTTP_AUTHORIZATION": f"Token {my_key}"}

    listed = client_a.get("/api/v1/auth/tokens/", **auth).json()
    assert [t["name"] for t in listed["results"]] == ["mój"]
    assert client_a.delete(f"/api/v1/auth/tokens/{theirs.pk}/", **auth).status_code == 404
    assert client_a.delete(f"/api/v1/auth/tokens/{mine.pk}/", **auth).status_code == 204

    assert _status(client_a, my_key) == 401 and _status(client_a, their_key) == 200
