"""In a real browser at phone width: Szef enters the company's Stripe keys in Settings >
Płatności online; after saving, the secrets are not in the page, only "zapisany"."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.browser import sign_in

SECRET = "sk_test_BrowserSecret123"
WEBHOOK_SECRET = "whsec_BrowserSigning123"


def test_szef_enters_the_stripe_keys_on_a_phone(committed, page, live_url):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_url)
    page.goto(live_url("alfa", "/settings/online-payments/"))
    expect(page.get_by_test_id("webhook-url")).to_have_value(live_url("alfa", "/payments/stripe/webhook/"))

    page.get_by_label("Klienci mogą płacić za faktury kartą (Stripe)").check()
    page.get_by_label("Klucz publiczny (publishable key)").fill("pk_test_BrowserPublic123")
    page.get_by_label("Klucz tajny (secret key)").fill(SECRET)
    page.get_by_label("Sekret podpisu webhooka (signing secret)").fill(WEBHOOK_SECRET)
    page.get_by_role("button", name="Zapisz").click()

    expect(page.get_by_test_id("secret-key-state")).to_have_text("zapisany")
    expect(page.get_by_test_id("gateway-state")).to_contain_text("włączone")
    html = page.content()
    assert SECRET not in html and WEBHOOK_SECRET not in html
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path="/tmp/payments-settings-390.png", full_page=True)
