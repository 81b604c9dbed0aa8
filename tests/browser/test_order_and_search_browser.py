"""In a real browser (issue 13): Szef drags a stage in Settings > Lejki sprzedaży and the pipeline shows
the columns in the new order; the customer list is in Polish alphabetical order; the
header's search box finds records grouped by type and opens one with Enter.

With IMCRM_SCREENSHOTS=1 the reordered pipeline is saved to docs/pipeline-reordered.png."""

from __future__ import annotations

import os
import re
from pathlib import Path

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from crm.categories.models import pipeline_default
from crm.contacts.models import Customer

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _login(page, live_url) -> None:
    page.goto(live_url("alfa", "/accounts/login/"))
    page.fill("input[name=login]", "szef@alfa.test")
    page.fill("input[name=password]", "Haslo-testowe-123")
    page.click("button[type=submit]")
    page.wait_for_url(live_url("alfa", "/"))


def test_a_stage_dragged_in_settings_moves_its_pipeline_column(committed, companies, page, live_url):
    with schema_context(companies.a.schema_name):
        default = pipeline_default().pk
    _login(page, live_url)
    page.goto(live_url("alfa", "/settings/pipelines/"))
    stages = page.get_by_test_id(f"stage-rows-{default}").locator("tr")
    expect(stages.first.locator("input[name=name]")).to_have_value("Pierwszy kontakt")
    expect(stages.last.locator("input[name=name]")).to_have_value("Finalizacja")
    with page.expect_response(lambda r: "/move/" in r.url) as moved:
        stages.last.locator(".drag-handle").drag_to(stages.first, target_position={"x": 5, "y": 2})
    assert moved.value.ok, moved.value.text()
    expect(stages.first.locator("input[name=position]")).to_have_value("1")

    page.reload()
    first = page.get_by_test_id(f"stage-rows-{default}").locator("tr").first
    expect(first.locator("input[name=name]")).to_have_value("Finalizacja")

    page.goto(live_url("alfa", "/deals/"))
    titles = page.locator(".pipeline-column h2")
    expect(titles.first).to_have_text("Finalizacja")
    expect(titles.nth(1)).to_have_text("Pierwszy kontakt")
    if os.environ.get("IMCRM_SCREENSHOTS"):
        page.set_viewport_size({"width": 1280, "height": 720})
        page.screenshot(path=str(DOCS / "pipeline-reordered.png"))


def test_customer_list_sorted_by_name_puts_lodz_between_l_and_m(committed, companies, page, live_url):
    with schema_context(companies.a.schema_name):
        for name in ("Marki Drewno", "Łódź Metal Sp. z o.o.", "Lublin Handel", "Zabrze Stal"):
            Customer.objects.create(name=name, city="Łódź" if name.startswith("Ł") else "Marki")
    _login(page, live_url)
    page.goto(live_url("alfa", "/customers/?sort=name"))
    text = page.locator("table tbody").inner_text()
    assert text.index("Lublin Handel") < text.index("Łódź Metal") < text.index("Marki Drewno") < text.index("Zabrze")


def test_header_search_shows_grouped_results_and_enter_opens_the_first(committed, companies, page, live_url):
    with schema_context(companies.a.schema_name):
        customer = Customer.objects.create(name="Hurtownia Żuraw Łódź", city="Łódź")
    _login(page, live_url)
    page.goto(live_url("alfa", "/customers/"))
    page.keyboard.press("/")
    box = page.get_by_test_id("global-search")
    expect(box).to_be_focused()
    box.type("zuraw lodz")
    results = page.locator("#global-search-results")
    expect(results.get_by_test_id("search-group-customer")).to_contain_text("Hurtownia Żuraw Łódź")
    box.press("Enter")
    page.wait_for_url(re.compile(rf"/customers/{customer.pk}/$"))

    page.keyboard.press("Control+k")
    expect(box).to_be_focused()
