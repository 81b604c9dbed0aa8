"""`TenantClient.login_kept` (tests/support/clients.py), which the fuzz and isolation loops
call before every request: it must send a signed-in session every time, and sign in
again whenever a request ended or changed the one it kept."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django_tenants.utils import schema_context


def _sessions(company):
    with schema_context(company.schema_name):
        return Session.objects.count()


def test_an_untouched_session_is_kept_without_a_new_login(client_a, company_a, szef):
    client_a.login_kept(szef)
    key = client_a.cookies[settings.SESSION_COOKIE_NAME].value
    before = _sessions(company_a)

    client_a.login_kept(szef)

    assert client_a.cookies[settings.SESSION_COOKIE_NAME].value == key
    assert _sessions(company_a) == before
    assert client_a.get("/").status_code == 200


def test_a_session_restored_by_a_savepoint_rollback_is_sent_again(client_a, company_a, szef):
    client_a.login_kept(szef)
    key = client_a.cookies[settings.SESSION_COOKIE_NAME].value
    sid = transaction.savepoint()
    client_a.post("/accounts/logout/")
    transaction.savepoint_rollback(sid)
    assert client_a.get("/").status_code == 302  # the logout answer dropped the cookie

    client_a.login_kept(szef)

    assert client_a.cookies[settings.SESSION_COOKIE_NAME].value == key
    assert client_a.get("/").status_code == 200


def test_a_logout_that_stays_is_followed_by_a_new_login(client_a, company_a, szef):
    client_a.login_kept(szef)
    key = client_a.cookies[settings.SESSION_COOKIE_NAME].value
    client_a.post("/accounts/logout/")

    client_a.login_kept(szef)

    assert client_a.cookies[settings.SESSION_COOKIE_NAME].value != key
    assert client_a.get("/").status_code == 200


def test_another_user_gets_a_login_of_his_own(client_a, company_a, szef, pracownik):
    client_a.login_kept(szef)
    key = client_a.cookies[settings.SESSION_COOKIE_NAME].value

    client_a.login_kept(pracownik)

    assert client_a.cookies[settings.SESSION_COOKIE_NAME].value != key
    with schema_context(company_a.schema_name):
        session = Session.objects.get(session_key=client_a.cookies[settings.SESSION_COOKIE_NAME].value)
    assert session.get_decoded()["_auth_user_id"] == str(pracownik.pk)
