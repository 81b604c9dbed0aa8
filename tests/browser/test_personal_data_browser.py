"""In Chromium, Szef downloads everything the company holds about a customer and about one
of its contact persons (RODO) from the customer card: a JSON file each. Screenshots of the
card at 1280 and 390 px go to .local/test-artifacts/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django_tenants.utils import schema_context

from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory
from tests.support.browser import ARTIFACTS, sign_in


def test_szef_downloads_the_customers_and_the_contacts_personal_data_from_the_card(
    committed: Any, page: Any, live_url: Any, tmp_path: Path
) -> None:
    with schema_context(committed.a.schema_name):
        customer = CustomerFactory(name="Hurtownia RODO")
        contact = ContactPersonFactory(customer=customer, name="Anna Nowak-RODO")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_url)
    page.goto(live_url("alfa", f"/customers/{customer.pk}/"))
    page.screenshot(path=str(ARTIFACTS / "personal-data-card-1280.png"))

    with page.expect_download() as info:
        page.get_by_test_id("personal-data-download").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name.startswith("dane-osobowe-klient-") and saved.suffix == ".json"
    assert json.loads(saved.read_text())["customer"]["name"] == "Hurtownia RODO"

    page.goto(live_url("alfa", f"/customers/{customer.pk}/?tab=contacts"))
    with page.expect_download() as info:
        page.locator(f"#contact-{contact.pk}").get_by_role("link", name="Dane osobowe (RODO)").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert json.loads(saved.read_text())["contact"]["name"] == "Anna Nowak-RODO"

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_url("alfa", f"/customers/{customer.pk}/"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(ARTIFACTS / "personal-data-card-390.png"))
