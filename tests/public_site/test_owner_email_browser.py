"""The owner's-address banner in a real browser (Chromium via Playwright, gunicorn server):
a new Szef lands in the CRM at once, is asked to confirm, can ask for the link again,
and the banner is gone once the link from the e-mail is used."""

from __future__ import annotations

from playwright.sync_api import expect

from tenants.models import Company
from tenants.owner_email import Purpose, owner_email_token
from tests.public_site.helpers import GOOD_PASSWORD, unique_subdomain

OWNER = "szef@baner-firma.test"


def test_new_szef_is_asked_to_confirm_can_resend_and_the_banner_goes_after_confirming(committed, page, live_url):
    sub = unique_subdomain("baner")
    page.goto(live_url(None, "/signup/"))
    page.fill("#id_company_name", "Baner Sp. z o.o.")
    page.fill("#id_subdomain", sub)
    page.get_by_test_id("subdomain-live").filter(has_text="Ten adres jest wolny.").wait_for()
    page.fill("#id_first_name", "Anna")
    page.fill("#id_last_name", "Nowak")
    page.fill("#id_email", OWNER)
    page.fill("#id_password", GOOD_PASSWORD)
    page.check("#id_accept_terms")
    page.get_by_test_id("signup-submit").click()
    page.wait_for_url(live_url(sub, "/"))  # signed in at once: confirmation never blocks entering

    banner = page.get_by_test_id("owner-email-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Potwierdź adres e-mail właściciela firmy")
    page.get_by_test_id("owner-email-resend").click()
    expect(page.locator(".messages")).to_contain_text(f"Wysłaliśmy link potwierdzający na adres {OWNER}.")
    page.set_viewport_size({"width": 390, "height": 800})
    expect(page.get_by_test_id("owner-email-resend")).to_be_in_viewport()

    # The mail went to the server process's outbox; the link in it is made the same way.
    company = Company.objects.get(subdomain=sub)
    token = owner_email_token(company_id=company.pk, email=OWNER, purpose=Purpose.CONFIRM)
    page.goto(live_url(None, f"/email/potwierdz/{token}/"))
    page.get_by_test_id("owner-email-confirm").click()
    expect(page.get_by_test_id("owner-email-answer")).to_have_attribute("data-outcome", "done")

    page.goto(live_url(sub, "/"))
    expect(page.locator("nav")).to_contain_text("Baner Sp. z o.o.")
    expect(banner).to_have_count(0)
