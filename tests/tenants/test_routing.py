from __future__ import annotations

from django.conf import settings
from django.test import Client

from tenants.models import Domain


def test_healthz_answers_on_company_host_with_db_and_redis_states(client_a):
    response = client_a.get("/healthz")
    assert response.status_code == 200
    assert response.json()["db"] == "ok"
    assert response.json()["redis"] == "ok"
    assert response.json()["schema"] == "c_alfa"


def test_healthz_answers_on_public_host(public_client):
    response = public_client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["schema"] == "public"


def test_unknown_subdomain_gets_friendly_404_page_pointing_to_public_site(companies, db):
    response = Client(HTTP_HOST=f"nosuch.{settings.IMCRM_BASE_DOMAIN}").get("/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "nie ma żadnej firmy" in body
    assert f"//{settings.IMCRM_BASE_DOMAIN}" in body


def test_removing_a_domain_takes_effect_on_the_next_request(client_a, company_a):
    assert client_a.get("/healthz").status_code == 200
    Domain.objects.filter(tenant=company_a).delete()
    assert client_a.get("/healthz").status_code == 404


def test_pooled_schema_is_never_reachable_even_with_a_domain(companies, db):
    from tenants.models import Company, CompanyStatus

    pooled = Company.objects.filter(status=CompanyStatus.POOL).first()
    assert pooled is not None
    Domain.objects.create(domain=f"pooled.{settings.IMCRM_BASE_DOMAIN}", tenant=pooled)
    assert Client(HTTP_HOST=f"pooled.{settings.IMCRM_BASE_DOMAIN}").get("/healthz").status_code == 404


def test_anonymous_visitor_of_company_is_sent_to_login(client_a):
    response = client_a.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_dashboard_is_polish_by_default_and_english_when_chosen(client_a, szef):
    client_a.login_as(szef)
    assert "Twój zespół" in client_a.get("/").content.decode()
    client_a.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Your team" in client_a.get("/").content.decode()


def test_login_page_renders_on_company_host(client_a):
    response = client_a.get("/accounts/login/")
    assert response.status_code == 200
    assert 'name="login"' in response.content.decode()
