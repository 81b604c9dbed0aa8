"""Every URL of the company host, discovered from config.urls_tenant, requested by the
wrong people: company B's Szef with company A's ids, an anonymous visitor, and a
Pracownik on Settings. Ids are those of rows that really exist in company A."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django_tenants.utils import schema_context

from crm.accounts.models import Role, User
from tests.crm.portal.conftest import contact_with_portal, sign_in
from tests.security.objects import Filled, rows_fill, rows_snapshot
from tests.security.urlmap import ANONYMOUS_OK_PREFIXES, MARK_TEXT, Endpoint, company_endpoints, is_settings

ENDPOINTS = company_endpoints()
# Requests that would end the session being tested, not reach data.
NOT_REQUESTED = {"/accounts/logout/"}
MUTATING = ("post", "put", "patch", "delete")


def _requests(endpoints: list[Endpoint], methods: tuple[str, ...]) -> Iterator[tuple[Endpoint, str, str]]:
    for endpoint in endpoints:
        if endpoint.template in NOT_REQUESTED:
            continue
        for url in endpoint.urls():
            for method in methods:
                if method in ("put", "patch", "delete") and not endpoint.is_api:
                    continue
                yield endpoint, url, method


def _text(response: Any) -> str:
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)  # the test client closes it safely
        return data.decode(errors="replace")
    return response.content.decode(errors="replace")


def _send(client: Any, method: str, url: str) -> Any:
    data = {"name": "beta-probe", "title": "beta-probe", "customer": "7000001", "pk": "7000001"}
    if method == "get":
        return client.get(url)
    if method == "post":
        return client.post(url, data)
    return getattr(client, method)(url, data, content_type="application/json")


@pytest.fixture(autouse=True)
def _answers_not_exceptions(client_a: Any, client_b: Any) -> None:
    """A view that crashes is reported as a 500 next to the others, not as a traceback."""
    client_a.raise_request_exception = False
    client_b.raise_request_exception = False


@pytest.fixture
def alfa_rows(company_a: Any) -> Filled:
    with schema_context(company_a.schema_name):
        return rows_fill()


def test_every_crm_model_has_a_row_of_company_a_to_aim_at(alfa_rows):
    """The probe rows exist (if this fails, ids in the URL tests would point at nothing)."""
    assert alfa_rows.rows, alfa_rows.skipped
    for label in ("contacts.customer", "sales.deal", "tasks.task"):
        assert label in alfa_rows.rows, alfa_rows.skipped.get(label)


def test_company_b_staff_with_company_a_ids_get_not_found_on_every_url(
    alfa_rows, client_a, client_b, szef, outsider, company_a
):
    with schema_context(company_a.schema_name):
        before = rows_snapshot(alfa_rows)
    problems = []
    reachable_in_a = 0
    for endpoint, url, method in _requests(ENDPOINTS, ("get", *MUTATING)):
        if endpoint.has_object_ids and method == "get":
            own = client_a.login_kept(szef).get(url)
            reachable_in_a += own.status_code == 200
        client_b.login_kept(outsider)
        response = _send(client_b, method, url)
        body = _text(response)
        if MARK_TEXT in body:
            problems.append(f"{method.upper()} {url}: company A's data in the answer ({response.status_code})")
        elif endpoint.has_object_ids and not (
            response.status_code in (403, 404, 405) or 300 <= response.status_code < 400
        ):
            problems.append(f"{method.upper()} {url}: {response.status_code}, expected 404")
        elif response.status_code >= 500:
            problems.append(f"{method.upper()} {url}: {response.status_code}")
    with schema_context(company_a.schema_name):
        after = rows_snapshot(alfa_rows)
    changed = [label for label in before if before[label] != after[label]]
    assert not problems, "\n".join(problems)
    assert not changed, f"company B changed company A's rows: {changed}"
    if any(e.has_object_ids for e in ENDPOINTS if not e.template.startswith(("/accounts/", "/admin/"))):
        assert reachable_in_a, "no id-bearing URL answered 200 for company A's own Szef: probe ids are wrong"


@pytest.mark.parametrize("who", ["anonymous", "portal contact"])
def test_anonymous_visitor_is_sent_to_login_or_refused_on_every_url(who, alfa_rows, client_a, company_a):
    """Also a contact person signed in to the client portal: a portal session is not a
    staff session, so staff pages send it to the staff login and the API answers 401."""
    if who == "portal contact":
        contact_with_portal(company_a, email="portal-probe@klient.test")
        sign_in(client_a, "portal-probe@klient.test")
    problems = []
    for endpoint, url, method in _requests(ENDPOINTS, ("get", "post")):
        if endpoint.template.startswith(ANONYMOUS_OK_PREFIXES):
            continue
        response = _send(client_a, method, url)
        status = response.status_code
        body = _text(response)
        if MARK_TEXT in body:
            problems.append(f"{method.upper()} {url}: data shown to an anonymous visitor")
        elif endpoint.is_api:
            if status not in (401, 403, 405):
                problems.append(f"{method.upper()} {url}: {status}, expected 401")
        elif status in (301, 302, 303):
            if "/accounts/login/" not in response.get("Location", ""):
                problems.append(f"{method.upper()} {url}: redirect to {response['Location']}, not to login")
        elif status not in (401, 403, 405):
            problems.append(f"{method.upper()} {url}: {status}, expected a redirect to login")
    assert not problems, "\n".join(problems)


def test_api_answers_401_not_a_login_redirect_to_anonymous_callers(client_a):
    response = client_a.get("/api/v1/")
    assert response.status_code == 401
    assert response.has_header("WWW-Authenticate")


@pytest.mark.parametrize("role", [Role.PRACOWNIK, Role.KIEROWNIK])
def test_settings_urls_refuse_staff_below_szef(role, alfa_rows, client_a, company_a):
    settings_endpoints = [e for e in ENDPOINTS if is_settings(e)]
    with schema_context(company_a.schema_name):
        user = User.objects.create_user(f"{role}-probe@alfa.test", "x" * 12, name="Probe", role=role)
        before = rows_snapshot(alfa_rows)
    problems = []
    for _endpoint, url, method in _requests(settings_endpoints, ("get", *MUTATING)):
        client_a.login_kept(user)
        response = _send(client_a, method, url)
        if response.status_code not in (403, 405):
            problems.append(f"{method.upper()} {url}: {response.status_code}, expected 403")
    with schema_context(company_a.schema_name):
        assert rows_snapshot(alfa_rows) == before
    assert not problems, "\n".join(problems)


def test_discovery_finds_the_contract_urls_of_the_company_host():
    """Guards the discovery itself: if it found nothing, the tests above would pass vacuously."""
    templates = {e.template for e in ENDPOINTS}
    assert {"/", "/api/v1/", "/settings/", "/api/v1/customers/", "/api/v1/settings/users/"} <= templates
    assert sum(e.has_object_ids for e in ENDPOINTS) >= 10
    assert sum(is_settings(e) for e in ENDPOINTS) >= 5


def test_public_host_urls_do_not_exist_on_a_company_host(client_a, szef):
    """/admin/, /operator/, signup, the Stripe webhook... answer 404 on a company host,
    even to its Szef (a company schema has its own users table: admin there would be
    a door into it)."""
    from tests.security.urlmap import public_endpoints

    company_templates = {e.template for e in ENDPOINTS}
    client_a.login_as(szef)
    problems = []
    for endpoint in public_endpoints():
        if endpoint.template in company_templates or endpoint.template.startswith(("/healthz", "/i18n/")):
            continue
        for url in endpoint.urls()[:1]:
            for method in ("get", "post"):
                response = getattr(client_a, method)(url)
                if response.status_code != 404:
                    problems.append(f"{method.upper()} {url} on a company host: {response.status_code}")
    assert not problems, "\n".join(problems)


def test_company_urls_do_not_exist_on_the_public_host(public_client):
    from tests.security.urlmap import public_endpoints

    public_templates = {e.template for e in public_endpoints()}
    public_client.raise_request_exception = False
    problems = []
    for endpoint in ENDPOINTS:
        if endpoint.template in public_templates or endpoint.template.startswith(("/healthz", "/i18n/", "/accounts/")):
            continue
        url = endpoint.urls()[0]
        response = public_client.get(url)
        if response.status_code != 404:
            problems.append(f"GET {url} on the public host: {response.status_code}")
    assert not problems, "\n".join(problems)
