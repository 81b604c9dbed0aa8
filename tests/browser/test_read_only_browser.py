"""A read-only company (trial ended unpaid) in a real browser: write buttons and forms
are disabled before anyone clicks, with a tooltip saying why; logout, language and
billing stay usable."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tenants.db import connection
from tenants.models import Company, CompanyStatus
from tenants.routing import tenant_lookup_invalidate
from tests.support.browser import sign_in

WHY = "tylko do odczytu"


@pytest.fixture
def read_only_company(committed: Any) -> Iterator[Company]:
    connection.set_schema_to_public()
    company = Company.objects.get(subdomain="alfa")
    saved = company.status
    Company.objects.filter(pk=company.pk).update(status=CompanyStatus.READ_ONLY)
    tenant_lookup_invalidate()
    try:
        yield company
    finally:
        connection.set_schema_to_public()
        Company.objects.filter(pk=company.pk).update(status=saved)
        tenant_lookup_invalidate()


def test_read_only_company_sees_add_customer_disabled_with_the_reason(read_only_company, page, live_url):
    sign_in(page, live_url)
    page.goto(live_url("alfa", "/customers/"))
    add = page.get_by_role("link", name="Dodaj klienta")
    expect(add).to_have_attribute("aria-disabled", "true")
    expect(add).to_have_attribute(
        "title", f"Konto jest w trybie {WHY}: opłać subskrypcję, aby dodawać i zmieniać dane."
    )
    add.click(force=True)
    expect(page).to_have_url(live_url("alfa", "/customers/"))  # the click went nowhere

    page.goto(live_url("alfa", "/customers/new/"))
    save = page.locator("main form[method=post] button[type=submit]").first
    expect(save).to_be_disabled()
    expect(save).to_have_attribute(
        "title", f"Konto jest w trybie {WHY}: opłać subskrypcję, aby dodawać i zmieniać dane."
    )
    save.hover(force=True)

    # What a read-only company may still do stays usable: signing out, the language switch.
    expect(page.locator("form[action='/accounts/logout/'] button")).to_be_enabled()
    expect(page.locator("#lang-select")).to_be_enabled()


def test_a_company_that_can_write_has_nothing_disabled(committed, page, live_url):
    sign_in(page, live_url)
    page.goto(live_url("alfa", "/customers/new/"))
    expect(page.locator("main form[method=post] button[type=submit]").first).to_be_enabled()
    assert page.locator("[data-read-only-disabled]").count() == 0
