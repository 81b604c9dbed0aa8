"""In a real browser: Szef adds an acquisition source with a colour in Settings and finds
it offered on the new-customer form; a Pracownik has no Settings entry at all."""

from __future__ import annotations

PASSWORD = "Haslo-testowe-123"


def _sign_in(page, live_url, email):
    page.goto(live_url("alfa", "/accounts/login/"))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_url("alfa", "/"))


def test_szef_adds_a_coloured_source_that_the_customer_form_offers_and_pracownik_sees_no_settings(
    committed, page, live_url
):
    _sign_in(page, live_url, "szef@alfa.test")
    page.get_by_role("link", name="Ustawienia").first.click()
    page.wait_for_url(live_url("alfa", "/settings/"))
    page.get_by_role("link", name="Kontakty").first.click()

    form = page.get_by_test_id("add-contact-sources")
    form.get_by_label("Nazwa").fill("Konferencja Łódź")
    form.locator("input[type=color]").fill("#ff8800")
    form.get_by_role("button", name="Dodaj").click()
    page.wait_for_load_state()

    chip = page.get_by_test_id("block-contact-sources").locator(".chip", has_text="Konferencja Łódź")
    assert chip.is_visible()
    colour = chip.locator(".dot").evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour == "rgb(255, 136, 0)"

    page.goto(live_url("alfa", "/customers/new/"))
    offered = page.locator("select[name=source] option").all_inner_texts()
    assert any("Konferencja Łódź" in text for text in offered)

    page.context.clear_cookies()
    _sign_in(page, live_url, "pracownik@alfa.test")
    nav = page.get_by_role("navigation", name="Główna nawigacja")
    assert nav.get_by_role("link", name="Klienci").count() >= 1
    assert nav.get_by_role("link", name="Ustawienia").count() == 0
    assert page.locator("a[href^='/settings/']").count() == 0
    response = page.goto(live_url("alfa", "/settings/"))
    assert response is not None and response.status == 403
