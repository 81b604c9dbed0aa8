"""Signup in a real browser (Debian Chromium via Playwright) against a real server."""

from __future__ import annotations

import json
import re

from django.conf import settings
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from crm.accounts.models import Role, User
from crm.contacts.models import Customer
from tenants.models import Company
from tests.public_site.helpers import GOOD_PASSWORD, unique_subdomain


def _sign_up(page, live_url, *, sub: str, company_name: str, email: str) -> None:
    page.goto(live_url(None, "/signup/"))
    page.fill("#id_company_name", company_name)
    page.fill("#id_subdomain", sub)
    page.get_by_test_id("subdomain-live").filter(has_text="Ten adres jest wolny.").wait_for()
    page.fill("#id_first_name", "Anna")
    page.fill("#id_last_name", "Nowak")
    page.fill("#id_email", email)
    page.fill("#id_password", GOOD_PASSWORD)
    page.check("#id_accept_terms")
    page.get_by_test_id("signup-submit").click()
    page.wait_for_url(live_url(sub, "/"))


def test_visitor_signs_up_sees_a_taken_name_rejected_live_and_lands_signed_in(committed, page, live_url):
    sub = unique_subdomain("przegladarka")
    page.goto(live_url(None, "/signup/"))
    assert page.locator("#subdomain-suffix").inner_text() == f".{settings.IMCRM_BASE_DOMAIN}"
    assert "Hasło powinno zawierać minimum 8 znaków." in page.locator("#id_password_helptext").inner_text()

    page.fill("#id_company_name", "Łódź Śruby")
    live = page.get_by_test_id("subdomain-live")
    expect(page.locator("#id_subdomain")).to_have_value("lodz-sruby")  # suggested from the name

    page.fill("#id_subdomain", "alfa")
    live.filter(has_text="Ten adres jest już zajęty.").wait_for()
    page.fill("#id_subdomain", "ab--cd")
    live.filter(has_text="na pozycjach 3-4").wait_for()
    page.fill("#id_subdomain", sub)
    live.filter(has_text="Ten adres jest wolny.").wait_for()

    page.fill("#id_first_name", "Anna")
    page.fill("#id_last_name", "Nowak")
    page.fill("#id_email", "szef@lodz-sruby.test")
    page.fill("#id_password", GOOD_PASSWORD)
    assert "is-ok" in (page.locator(".password-rule").get_attribute("class") or "")
    page.check("#id_accept_terms")
    page.get_by_test_id("signup-submit").click()

    page.wait_for_url(live_url(sub, "/"))
    assert "/accounts/login/" not in page.url
    nav = page.locator("nav")
    assert "Łódź Śruby" in nav.inner_text()
    assert page.locator("form[action$='/accounts/logout/']").count() == 1
    cookies = {c["name"]: c for c in page.context.cookies() if c["name"] == "sessionid"}
    assert cookies["sessionid"]["domain"] == f"{sub}.{settings.IMCRM_BASE_DOMAIN}"  # host-only, no leading dot
    company = Company.objects.get(subdomain=sub)
    with schema_context(company.schema_name):
        assert User.objects.get().role == Role.SZEF


def test_new_company_sees_none_of_another_companys_data(committed, page, live_url):
    alfa = committed.a
    with schema_context(alfa.schema_name):
        Customer.objects.create(name="Tajny Klient Alfy", email="tajny@alfa-klient.test")
        User.objects.create_user("sekretny@alfa.test", "x" * 12, name="Sekretny Pracownik Alfy")
    sub = unique_subdomain("czysta")

    _sign_up(page, live_url, sub=sub, company_name="Czysta Firma", email="szef@czysta.test")

    pages = [page.content()]
    for path in ("/customers/", "/tasks/", "/deals/", "/settings/"):
        response = page.goto(live_url(sub, path))
        assert response is not None and response.status < 500, path
        pages.append(page.content())
    api = page.goto(live_url(sub, "/api/v1/customers/?format=json"))
    assert api is not None
    api_text = page.inner_text("body")
    text = "\n".join([*pages, api_text])
    for secret in ("Tajny Klient Alfy", "tajny@alfa-klient.test", "Sekretny Pracownik Alfy", "Anna Szef", "alfa.test"):
        assert secret not in text
    if api.status == 200:
        assert json.loads(api_text)["results"] == []
    company = Company.objects.get(subdomain=sub)
    with schema_context(company.schema_name):
        assert Customer.objects.count() == 0
        assert list(User.objects.values_list("email", flat=True)) == ["szef@czysta.test"]
    # the new Szef's session does not open Alfa either (host-only cookie, per-schema sessions)
    page.goto(live_url("alfa", "/"))
    assert re.search(r"/accounts/login/", page.url)
