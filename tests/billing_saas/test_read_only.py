from __future__ import annotations

import pytest
from django.http import HttpResponse, HttpResponseNotFound
from django.test import RequestFactory
from django.urls import Resolver404, resolve

from billing_saas.middleware import BillingAccessMiddleware
from tenants.models import CompanyStatus
from tests.billing_saas.conftest import company_set
from tests.support.companies import PASSWORD


def _reached(request) -> HttpResponse:
    return HttpResponse("view reached")


class Guard:
    """The middleware as Django runs it: resolve the path (a path naming no view is
    Django's 404 before any guard), then the guard's `process_view`, then the view."""

    def __init__(self) -> None:
        self.middleware = BillingAccessMiddleware(_reached)

    def __call__(self, request) -> HttpResponse:
        urlconf = "config.urls_public" if request.tenant.schema_name == "public" else "config.urls_tenant"
        try:
            match = resolve(request.path_info, urlconf=urlconf)
        except Resolver404:
            return HttpResponseNotFound("no view")
        request.resolver_match = match
        refused = self.middleware.process_view(request, match.func, match.args, match.kwargs)
        return refused if refused is not None else _reached(request)


@pytest.fixture
def guard():
    return Guard()


def _request(company, method: str, path: str, **extra):
    request = getattr(RequestFactory(), method.lower())(path, **extra)
    request.tenant = company
    request.htmx = False
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_read_only_refuses_every_unsafe_method_on_any_path(guard, company_a, method):
    company_set(company_a, status=CompanyStatus.READ_ONLY)
    for path in ("/customers/new/", "/deals/5/edit/", "/settings/users/3/role/", "/customers/7/contacts/new/"):
        assert guard(_request(company_a, method, path)).status_code == 403
    # A path that names no view reaches nothing: Django's 404, as in every state.
    assert guard(_request(company_a, method, "/anything/that/comes/later/")).status_code == 404
    assert guard(_request(company_a, method, "/api/v1/deals/7/")).status_code == 402


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_read_only_lets_reading_through(guard, company_a, method):
    company_set(company_a, status=CompanyStatus.READ_ONLY)
    assert guard(_request(company_a, method, "/customers/")).content == b"view reached"


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/logout/",
        "/settings/billing/checkout/",
        "/customers/export/",
        "/settings/activity/export.csv",
        "/reports/open-sales/csv/",
        "/i18n/setlang/",
        "/accounts/password/change/",
        "/accounts/2fa/totp/activate/",
    ],
)
def test_read_only_still_allows_sign_in_billing_export_and_own_account(guard, company_a, path):
    company_set(company_a, status=CompanyStatus.READ_ONLY)
    assert guard(_request(company_a, "POST", path)).content == b"view reached"


def test_read_only_refuses_accepting_an_invitation(guard, company_a):
    company_set(company_a, status=CompanyStatus.READ_ONLY)
    assert guard(_request(company_a, "POST", "/accounts/invite/abc/")).status_code == 403


@pytest.mark.parametrize("path", ["/", "/customers/", "/api/v1/tasks/", "/accounts/password/change/"])
def test_suspended_refuses_even_reading(guard, company_a, path):
    company_set(company_a, status=CompanyStatus.SUSPENDED)
    assert guard(_request(company_a, "GET", path)).status_code in (402, 403)


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/settings/billing/",
        "/customers/export/",
        "/reports/open-sales/csv/",
        "/settings/activity/export.csv",
        "/healthz",
        "/i18n/setlang/",
        "/billing/locked/",
    ],
)
def test_suspended_still_allows_sign_in_billing_and_export(guard, company_a, path):
    company_set(company_a, status=CompanyStatus.SUSPENDED)
    assert guard(_request(company_a, "GET", path)).content == b"view reached"


def test_suspended_company_still_gets_static_files_and_the_404_page(client_a, szef, company_a):
    company_set(company_a, status=CompanyStatus.SUSPENDED)
    client_a.login_as(szef)
    assert client_a.get("/static/css/app.css").status_code == 200
    missing = client_a.get("/deals/eksport/")
    assert missing.status_code == 404
    assert 'data-testid="billing-locked"' not in missing.content.decode()


@pytest.mark.parametrize("status", [CompanyStatus.TRIAL, CompanyStatus.ACTIVE, CompanyStatus.PAST_DUE])
def test_trial_active_and_past_due_companies_can_write(guard, company_a, status):
    company_set(company_a, status=status)
    assert guard(_request(company_a, "POST", "/customers/new/")).content == b"view reached"


def test_public_host_is_never_limited(guard, public_client):
    from tenants.models import Company

    public = Company.objects.get(schema_name="public")
    assert guard(_request(public, "POST", "/signup/")).content == b"view reached"


def test_read_only_page_explains_why_and_links_szef_to_billing(client_a, szef, company_a):
    company_set(company_a, status=CompanyStatus.READ_ONLY)
    response = client_a.login_as(szef).post("/tasks/new/", {"title": "Nowe"})
    assert response.status_code == 403
    html = response.content.decode()
    assert 'data-testid="billing-locked"' in html
    assert "tylko do odczytu" in html
    assert 'href="/settings/billing/"' in html


def test_read_only_page_tells_pracownik_to_ask_szef(client_a, pracownik, company_a):
    company_set(company_a, status=CompanyStatus.READ_ONLY)
    html = client_a.login_as(pracownik).post("/tasks/new/", {"title": "Nowe"}).content.decode()
    assert "Poproś Szefa" in html
    assert 'href="/settings/billing/"' not in html.split('data-testid="billing-locked"')[1]


def test_read_only_api_answers_402_with_a_message(client_a, szef, company_a):
    company_set(company_a, status=CompanyStatus.READ_ONLY)
    response = client_a.login_as(szef).post("/api/v1/tasks/", {"title": "x"})
    assert response.status_code == 402
    body = response.json()
    assert "tylko do odczytu" in body["detail"]
    assert body["code"] == "company_read_only"
    assert body["billing_url"] == "/settings/billing/"


def test_read_only_htmx_request_is_sent_to_the_explanation(client_a, szef, company_a):
    company_set(company_a, status=CompanyStatus.READ_ONLY)
    response = client_a.login_as(szef).post("/tasks/new/", {"title": "x"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert response["HX-Redirect"] == "/billing/locked/"
    assert client_a.get("/billing/locked/").status_code == 200


def test_read_only_api_token_can_still_be_obtained(client_a, company_a):
    company_set(company_a, status=CompanyStatus.READ_ONLY)
    response = client_a.post("/api/v1/auth/token/", {"email": "szef@alfa.test", "password": PASSWORD})
    assert response.status_code == 200


def test_staff_of_a_suspended_company_can_sign_in_and_reach_billing(client_a, company_a):
    company_set(company_a, status=CompanyStatus.SUSPENDED)
    assert client_a.get("/accounts/login/").status_code == 200
    response = client_a.post("/accounts/login/", {"login": "szef@alfa.test", "password": PASSWORD})
    assert response.status_code == 302
    assert client_a.get("/settings/billing/").status_code == 200
    home = client_a.get("/")
    assert home.status_code == 403
    assert "zawieszone" in home.content.decode()


def test_anonymous_visitor_of_a_suspended_company_is_offered_sign_in(client_a, company_a):
    company_set(company_a, status=CompanyStatus.SUSPENDED)
    html = client_a.get("/").content.decode()
    assert "/accounts/login/?next=/settings/billing/" in html


def test_suspension_of_one_company_does_not_touch_another(client_b, outsider, company_a, company_b):
    company_set(company_a, status=CompanyStatus.SUSPENDED)
    assert client_b.login_as(outsider).post("/api/v1/tasks/", {"title": "B pracuje"}).status_code == 201


def test_the_locked_page_needs_sign_in_and_is_read_only(client_a, pracownik, company_a):
    response = client_a.get("/billing/locked/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client_a.login_as(pracownik)
    assert client_a.get("/billing/locked/").status_code == 200
    assert client_a.post("/billing/locked/").status_code == 405


def test_staff_of_a_suspended_company_can_still_export_their_customers(client_a, szef, company_a):
    company_set(company_a, status=CompanyStatus.SUSPENDED)
    client_a.login_as(szef)
    assert client_a.get("/customers/").status_code == 403
    assert client_a.get("/customers/export/").status_code == 200


def test_read_only_pages_tell_the_browser_which_forms_to_disable(client_a, szef, company_a):
    import json

    company_set(company_a, status=CompanyStatus.READ_ONLY)
    html = client_a.login_as(szef).get("/customers/").content.decode()
    assert 'data-read-only="Konto jest w trybie tylko do odczytu' in html
    allowed = json.loads(html.split('data-read-only-allowed="')[1].split('"')[0].replace("&quot;", '"'))
    assert {"/accounts/logout/", "/i18n/setlang/", "/settings/billing/checkout/"} <= set(allowed)
    assert "/customers/new/" not in allowed and "/accounts/invite/" not in "".join(allowed)
    assert 'data-write-action class="btn btn-primary" href="/customers/new/"' in html


def test_a_paying_company_gets_no_read_only_hints(client_a, szef, company_a):
    company_set(company_a, status=CompanyStatus.ACTIVE)
    assert "data-read-only" not in client_a.login_as(szef).get("/customers/").content.decode()
