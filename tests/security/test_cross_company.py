"""What one company holds never reaches another: sessions, API tokens, cache entries,
cached pages, rate-limit counters, content types and the database search_path."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.views.decorators.cache import cache_page
from django_tenants.utils import schema_context

from crm.accounts.models import ApiToken, User
from crm.accounts.tokens import api_token_hash
from tenants.db import connection
from tests.conftest import PASSWORD
from tests.support.api_tokens import api_key_for

# A page for signed-in staff only that no other helper is rebuilding (allauth's).
AUTH_PAGE = "/accounts/password/change/"

# --- sessions and tokens replayed on another company's host ---------------------------


def test_company_a_session_cookie_replayed_on_company_b_host_is_anonymous(client_a, client_b, szef):
    client_a.login_as(szef)
    assert client_a.get(AUTH_PAGE).status_code == 200
    client_b.cookies = client_a.cookies

    page = client_b.get(AUTH_PAGE)
    api = client_b.get("/api/v1/")

    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    assert api.status_code in (401, 403)


def test_company_a_api_token_replayed_on_company_b_host_is_401(client_a, client_b, company_a, szef):
    with schema_context(company_a.schema_name):
        key = api_key_for(szef)
    assert client_a.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200

    response = client_b.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 401


def test_token_obtained_on_company_a_does_not_exist_in_company_b(client_a, company_b):
    _fresh_ip(client_a)
    response = client_a.post("/api/v1/auth/token/", {"email": "szef@alfa.test", "password": PASSWORD})
    assert response.status_code == 200
    with schema_context(company_b.schema_name):
        assert not ApiToken.objects.filter(key_hash=api_token_hash(response.json()["token"])).exists()


def test_company_a_password_does_not_sign_in_on_company_b(client_b):
    _fresh_ip(client_b)
    response = client_b.post("/api/v1/auth/token/", {"email": "szef@alfa.test", "password": PASSWORD})
    assert response.status_code == 400


# --- caches ---------------------------------------------------------------------------


def test_low_level_cache_keys_carry_the_company_schema(company_a, company_b):
    with schema_context(company_a.schema_name):
        cache.set("report:totals", {"owner": "alfa"}, 30)
        assert cache.get("report:totals") == {"owner": "alfa"}
    with schema_context(company_b.schema_name):
        assert cache.get("report:totals") is None
        assert cache.get_many(["report:totals"]) == {}
        assert not cache.has_key("report:totals")
    with schema_context("public"):
        assert cache.get("report:totals") is None


_hits: list[str] = []


@cache_page(60)
def _cached_schema_page(request: HttpRequest, nonce: str) -> HttpResponse:
    _hits.append(connection.schema_name)
    return HttpResponse(f"page of {connection.schema_name}")


urlpatterns = [path("cached/<str:nonce>/", _cached_schema_page)]


@override_settings(ROOT_URLCONF=__name__)
def test_cache_page_output_of_company_a_is_never_served_on_company_b(client_a, client_b):
    _hits.clear()
    url = f"/cached/{secrets.token_hex(6)}/"  # a URL never cached before
    first_a = client_a.get(url)
    again_a = client_a.get(url)
    first_b = client_b.get(url)

    assert first_a.content == again_a.content == b"page of c_alfa"
    assert first_b.content == b"page of c_beta"
    assert _hits == ["c_alfa", "c_beta"]


def _fresh_ip(*clients: Any) -> str:
    """Rate-limit counters are per IP: each test gets an address of its own."""
    ip = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
    for client in clients:
        client.defaults["REMOTE_ADDR"] = ip
    return ip


def test_login_rate_limit_counters_of_company_a_do_not_throttle_company_b(client_a, client_b):
    _fresh_ip(client_a, client_b)
    for _ in range(10):
        client_a.post("/accounts/login/", {"login": "szef@alfa.test", "password": "wrong-password"})
    blocked = client_a.post("/accounts/login/", {"login": "szef@alfa.test", "password": PASSWORD})
    assert blocked.status_code in (200, 429)
    assert client_a.get(AUTH_PAGE).status_code == 302  # still signed out: throttled in company A

    allowed = client_b.post("/accounts/login/", {"login": "szef@beta.test", "password": PASSWORD})

    assert allowed.status_code == 302
    assert client_b.get(AUTH_PAGE).status_code == 200


def test_api_token_throttle_of_company_a_does_not_throttle_company_b(client_a, client_b):
    _fresh_ip(client_a, client_b)
    for _ in range(20):
        client_a.post("/api/v1/auth/token/", {"email": "x@alfa.test", "password": "x"})
    assert client_a.post("/api/v1/auth/token/", {"email": "x@alfa.test", "password": "x"}).status_code == 429

    assert client_b.post("/api/v1/auth/token/", {"email": "szef@beta.test", "password": PASSWORD}).status_code == 200


def test_api_token_throttle_cannot_be_dodged_with_a_forged_forwarded_for_header(client_a):
    _fresh_ip(client_a)
    codes = [
        client_a.post(
            "/api/v1/auth/token/", {"email": "x@alfa.test", "password": "x"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}"
        ).status_code
        for i in range(25)
    ]
    assert codes[-1] == 429


def test_content_type_cache_gives_the_row_of_the_current_schema_after_switches(company_a):
    """Content type ids of public and a company schema drift apart as apps are added
    over time; here company A's customer row gets another id, as it would then. The
    cache (tenants/contenttypes.py, keyed by schema) must follow every switch."""
    from crm.contacts.models import Customer
    from tenants.contenttypes import SchemaKeyedCache

    assert isinstance(ContentType.objects._cache, SchemaKeyedCache)
    with schema_context(company_a.schema_name):
        old = ContentType.objects.get(app_label="contacts", model="customer").pk
        new = old + 1000
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("UPDATE django_content_type SET id = %s WHERE id = %s", [new, old])
            cursor.execute("UPDATE auth_permission SET content_type_id = %s WHERE content_type_id = %s", [new, old])
        ContentType.objects.clear_cache()
    seen = {}
    for schema in ("public", company_a.schema_name, "public", company_a.schema_name, "public"):
        with schema_context(schema):
            cached = ContentType.objects.get_for_model(Customer)
            assert cached.pk == ContentType.objects.get(app_label="contacts", model="customer").pk, schema
            assert ContentType.objects.get_for_id(cached.pk).model == "customer"
            seen.setdefault(schema, set()).add(cached.pk)
    assert seen == {"public": {old}, company_a.schema_name: {new}}


# --- the database search_path -------------------------------------------------------------


def _current_schema() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        return str(cursor.fetchone()[0])


def test_the_search_path_is_set_once_per_company_and_again_after_a_switch(company_a, company_b):
    with CaptureQueriesContext(connection) as captured:
        connection.set_tenant(company_a)
        for _ in range(3):
            assert _current_schema() == "c_alfa"
        connection.set_tenant(company_b)
        assert _current_schema() == "c_beta"
        assert User.objects.filter(email="szef@beta.test").exists()
    connection.set_schema_to_public()

    sets = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SET search_path")]
    assert [s.split("=")[1].split(",")[0].strip().strip('"') for s in sets] == ["c_alfa", "c_beta"]


def test_savepoint_rollback_does_not_leave_a_stale_search_path(company_a, company_b):
    with transaction.atomic():
        connection.set_tenant(company_a)
        assert _current_schema() == "c_alfa"
        sid = transaction.savepoint()
        connection.set_tenant(company_b)
        assert _current_schema() == "c_beta"
        transaction.savepoint_rollback(sid)
        # PostgreSQL has reverted the SET to c_alfa; the app still means company B.
        assert _current_schema() == "c_beta"
        assert User.objects.filter(email="szef@beta.test").exists()
        assert not User.objects.filter(email="szef@alfa.test").exists()
        connection.set_tenant(company_a)
        with transaction.atomic():
            connection.set_tenant(company_b)
            transaction.set_rollback(True)
        assert _current_schema() == "c_beta"
    connection.set_schema_to_public()


def test_failed_statement_and_rollback_keep_the_right_schema(company_a, company_b):
    from django.db import DatabaseError

    connection.set_tenant(company_b)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table_here")
    except DatabaseError:
        pass
    assert _current_schema() == "c_beta"
    assert list(User.objects.values_list("email", flat=True)) == ["szef@beta.test"]
