"""The first minutes of a new company in a real browser: signing up with the owner's
name, a taken address answered with free alternatives, the getting-started checklist
on the home page (the screenshot in docs/ comes from here:
CHECKLIST_SCREENSHOT=docs/home-checklist.png), and a long company name at phone width."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.public_site.helpers import GOOD_PASSWORD, unique_subdomain

ROOT = Path(__file__).resolve().parents[2]
LONG_NAME = "Przedsiębiorstwo Handlowo-Usługowe Hurtownia Śrubex Opole SA"  # 60 characters


def _sign_up(page: Any, live_url: Any, *, company_name: str, sub: str) -> None:
    page.goto(live_url(None, "/signup/"))
    page.fill("#id_company_name", company_name)
    page.fill("#id_subdomain", sub)
    page.get_by_test_id("subdomain-live").filter(has_text="Ten adres jest wolny.").wait_for()
    page.fill("#id_first_name", "Anna")
    page.fill("#id_last_name", "Nowak")
    page.fill("#id_email", f"anna@{sub}.test")
    page.fill("#id_password", GOOD_PASSWORD)
    page.check("#id_accept_terms")
    page.get_by_test_id("signup-submit").click()
    page.wait_for_url(live_url(sub, "/"))


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def test_taken_address_offers_free_alternatives_that_fill_the_field(committed, page, live_url):
    page.goto(live_url(None, "/signup/"))
    page.fill("#id_company_name", "Hurtownia Śrubex Sp. z o.o.")
    expect(page.locator("#id_subdomain")).to_have_value("hurtownia-srubex")

    page.fill("#id_subdomain", "alfa")
    page.get_by_test_id("subdomain-live").filter(has_text="Ten adres jest już zajęty.").wait_for()
    offers = page.get_by_test_id("subdomain-suggestions").locator("[data-suggestion]")
    expect(offers).to_have_count(2)
    expect(offers.first).to_have_text("hurtownia-srubex")

    offers.nth(1).click()
    expect(page.locator("#id_subdomain")).not_to_have_value("alfa")
    page.get_by_test_id("subdomain-live").filter(has_text="Ten adres jest wolny.").wait_for()


def test_new_company_home_page_greets_the_owner_and_shows_the_checklist(committed, page, live_url):
    sub = unique_subdomain("pierwszy")
    _sign_up(page, live_url, company_name="Hurtownia Śrubex Sp. z o.o.", sub=sub)

    expect(page.get_by_role("heading", level=1)).to_have_text("Dzień dobry, Anna")
    checklist = page.get_by_test_id("checklist")
    expect(checklist).to_be_visible()
    expect(page.get_by_test_id("checklist-progress")).to_have_text("Zrobione: 0 z 4")
    expect(checklist.locator("[data-step]")).to_have_count(4)
    target = os.environ.get("CHECKLIST_SCREENSHOT")
    shot = ROOT / target if target else ROOT / ".local" / "test-artifacts" / "home-checklist.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)

    page.get_by_test_id("checklist-hide").click()
    page.wait_for_url(live_url(sub, "/"))
    expect(page.get_by_test_id("checklist")).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("checklist")).to_have_count(0)


def test_long_company_name_is_cut_with_an_ellipsis_at_phone_width(committed, page, live_url):
    assert len(LONG_NAME) == 60
    sub = unique_subdomain("dluga")
    page.set_viewport_size({"width": 375, "height": 812})
    _sign_up(page, live_url, company_name=LONG_NAME, sub=sub)

    name = page.get_by_test_id("company-name")
    expect(name).to_have_text(LONG_NAME)
    assert _overflow(page) <= 0
    box = name.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 375
    assert name.evaluate("el => el.scrollWidth > el.clientWidth")  # cut, with the ellipsis style
    assert name.evaluate("el => getComputedStyle(el).textOverflow") == "ellipsis"
    toggler = page.locator(".navbar-toggler")
    toggler_box = toggler.bounding_box()
    assert toggler_box is not None and toggler_box["x"] + toggler_box["width"] <= 375
    toggler.click()  # the menu stays reachable
    expect(page.locator("#mainnav")).to_be_visible()
    assert _overflow(page) <= 0
