"""Branded 403, 404 and 500 pages in Polish and English on company and public hosts;
the API keeps answering JSON. A Pracownik typing /settings/ sees the branded 403."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from config.error_views import server_error
from tenants.urls_helpers import company_host
from tests.support.api_tokens import api_headers

TEXTS = {
    "pl": {403: "Brak uprawnień", 404: "Nie znaleziono strony", 500: "Coś poszło nie tak"},
    "en": {403: "Permission denied", 404: "Page not found", 500: "Something went wrong"},
}


def _branded(response, status: int, language: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert f'data-status="{status}"' in html
    assert TEXTS[language][status] in html
    assert f'<html lang="{language}"' in html
    return html


@pytest.mark.parametrize("language", ["pl", "en"])
def test_pracownik_typing_settings_gets_the_branded_403(client_a, pracownik, language):
    response = client_a.login_as(pracownik).get("/settings/", HTTP_ACCEPT_LANGUAGE=language)
    html = _branded(response, 403, language)
    assert "403 Forbidden" not in html
    assert "brand-mark" in html or "company-logo" in html


@pytest.mark.parametrize("language", ["pl", "en"])
def test_unknown_page_on_a_company_host_is_the_branded_404(client_a, szef, language):
    response = client_a.login_as(szef).get("/nie-ma-takiej-strony/", HTTP_ACCEPT_LANGUAGE=language)
    _branded(response, 404, language)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_unknown_page_on_the_public_host_is_the_branded_404(public_client, language):
    response = public_client.get("/nie-ma-takiej-strony/", HTTP_ACCEPT_LANGUAGE=language)
    _branded(response, 404, language)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_a_crash_on_a_company_host_shows_the_branded_500(client_a, szef, monkeypatch, language):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("crm.tasks.views.task_list", broken)
    client_a.raise_request_exception = False
    response = client_a.login_as(szef).get("/tasks/", HTTP_ACCEPT_LANGUAGE=language)
    html = _branded(response, 500, language)
    assert "boom" not in html


@pytest.mark.parametrize("language", ["pl", "en"])
def test_a_crash_on_the_public_host_shows_the_branded_500(public_client, monkeypatch, language):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("public_site.views.price_plans", broken)
    public_client.raise_request_exception = False
    response = public_client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    _branded(response, 500, language)


def test_the_500_page_needs_no_database():
    # No `db` fixture: any query here would raise "Database access not allowed".
    request = RequestFactory().get("/", HTTP_HOST=company_host("alfa"))
    response = server_error(request)
    assert response.status_code == 500 and b'data-status="500"' in response.content


def test_api_refusals_and_unknown_urls_stay_json(client_a, company_a, pracownik):
    headers = api_headers(company_a, pracownik)
    refused = client_a.get("/api/v1/settings/users/", **headers)
    missing = client_a.get("/api/v1/nie-ma/", **headers)
    assert refused.status_code == 403 and refused["Content-Type"].startswith("application/json")
    assert missing.status_code == 404 and missing.json()["detail"]


def test_an_outsiders_record_is_a_404_page_not_a_403(client_b, outsider, company_a, szef):
    from django_tenants.utils import schema_context

    from tests.crm.sales.helpers import task_make

    with schema_context(company_a.schema_name):
        task = task_make(assignee=szef, created_by=szef)
    response = client_b.login_as(outsider).get(f"/tasks/{task.pk}/edit/")
    _branded(response, 404, "pl")
