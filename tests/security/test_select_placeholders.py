"""No select of the product offers Django's "---------" as its empty choice: every page
discovered from the URL configuration (company host as Szef, with rows to show, and the
public host) is read, and its HTML must name the empty choice in words."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context

from crm.common.forms import empty_choice_label
from tests.security.objects import rows_fill
from tests.security.urlmap import company_endpoints, public_endpoints

DASHES = "---------"


def _pages_with_dashes(client: Any, urls: list[str]) -> tuple[list[str], int]:
    found, read = [], 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        read += 1
        if DASHES in response.content.decode(errors="replace"):
            found.append(url)
    return found, read


def test_no_company_page_shows_dashes_as_an_empty_choice(client_a, company_a, szef):
    client_a.raise_request_exception = False
    client_a.login_as(szef)
    with schema_context(company_a.schema_name):
        rows_fill()
    urls = [url for e in company_endpoints() if not e.is_api for url in e.urls()]

    found, read = _pages_with_dashes(client_a, urls)

    assert read > 30, "discovery found too few pages to mean anything"
    assert found == []


def test_no_public_page_shows_dashes_as_an_empty_choice(companies, db):
    client = Client(HTTP_HOST=settings.IMCRM_BASE_DOMAIN)
    urls = [e.template for e in public_endpoints() if not e.has_params and not e.template.startswith("/admin/")]

    found, read = _pages_with_dashes(client, urls)

    assert read > 3
    assert found == []


def test_a_new_deal_form_names_its_empty_choice(client_a, szef):
    body = client_a.login_as(szef).get("/deals/new/").content.decode()

    assert f">{empty_choice_label()}</option>" in body
