from __future__ import annotations

import pytest
from django.core.cache import cache
from django_tenants.utils import schema_context

from crm.accounts.models import Role, User


def test_user_made_in_company_a_is_invisible_from_company_b_host(client_a, client_b, szef, outsider, company_a):
    with schema_context(company_a.schema_name):
        User.objects.create_user("tylko-w-alfie@alfa.test", "x" * 12, name="Tylko Alfa", role=Role.PRACOWNIK)

    page_a = client_a.login_as(szef).get("/")
    page_b = client_b.login_as(outsider).get("/")

    assert "Tylko Alfa" in page_a.content.decode()
    assert "Tylko Alfa" not in page_b.content.decode()
    assert "Olga Outsider" in page_b.content.decode()


def test_cache_entries_do_not_cross_companies(company_a, company_b):
    with schema_context(company_a.schema_name):
        cache.set("shared-looking-key", "alfa-secret", 30)
    with schema_context(company_b.schema_name):
        assert cache.get("shared-looking-key") is None
        cache.set("shared-looking-key", "beta-value", 30)
    with schema_context(company_a.schema_name):
        assert cache.get("shared-looking-key") == "alfa-secret"


def test_session_cookie_from_company_a_does_not_authenticate_on_company_b(client_a, client_b, szef):
    client_a.login_as(szef)
    assert client_a.get("/").status_code == 200

    client_b.cookies = client_a.cookies
    response = client_b.get("/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_login_cookie_is_host_only(client_a, szef):
    client_a.post("/accounts/login/", {"login": szef.email, "password": "Haslo-testowe-123"})
    morsel = client_a.cookies["sessionid"]
    assert morsel["domain"] == ""


def test_same_email_can_be_staff_in_two_companies(company_a, company_b):
    with schema_context(company_a.schema_name):
        User.objects.create_user("wspolny@firma.test", "x" * 12)
    with schema_context(company_b.schema_name):
        User.objects.create_user("wspolny@firma.test", "y" * 12)
        assert User.objects.filter(email="wspolny@firma.test").count() == 1


@pytest.mark.usefixtures("celery_worker_process")
def test_celery_task_queued_from_company_a_runs_in_company_a_schema(committed):
    from tenants.tasks import current_schema

    with schema_context(committed.a.schema_name):
        result_a = current_schema.delay()
    with schema_context(committed.b.schema_name):
        result_b = current_schema.delay()

    assert result_a.get(timeout=30) == committed.a.schema_name
    assert result_b.get(timeout=30) == committed.b.schema_name
