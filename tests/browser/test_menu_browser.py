"""The main menu in Chromium: at 1280 px every place fits on one line (related ones share
a drop-down), a drop-down opens and leads to its page, which marks its group active; at
phone width the collapsed menu opens and shows the same places."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.companies import PASSWORD


def _sign_in(page, live_url):
    page.goto(live_url("alfa", "/accounts/login/"))
    page.fill("input[name=login]", "szef@alfa.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_url("alfa", "/"))


def test_the_menu_fits_at_1280_and_its_drop_downs_lead_to_their_pages(committed, page, live_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, live_url)

    tops = page.eval_on_selector_all("#mainnav > ul.navbar-nav.me-auto > li", "els => els.map(e => e.offsetTop)")
    assert len(tops) >= 8 and len(set(tops)) == 1  # one line
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.locator("[data-nav-group=money] > a").click()
    page.locator("[data-nav-group=money]").get_by_role("link", name="Niezapłacone").click()
    page.wait_for_url(live_url("alfa", "/invoices/unpaid/"))
    expect(page.locator("[data-nav-group=money] > a.active")).to_be_visible()
    expect(page.locator("[data-nav-group=sales] > a.active")).to_have_count(0)


def test_at_phone_width_the_collapsed_menu_shows_the_grouped_places(committed, page, live_url):
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_url)

    page.locator(".navbar-toggler").click()
    page.locator("[data-nav-group=service] > a").click()
    expect(page.locator("[data-nav-group=service]").get_by_role("link", name="Zgłoszenia")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
