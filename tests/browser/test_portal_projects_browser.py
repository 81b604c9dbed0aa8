"""In a real browser: Szef gives the portal the company's colour; staff share a project
file with the customer and write in the project's discussion; the contact sees the
colour, downloads the shared file, answers in the discussion (staff see the answer on
the project card). Then the contact switches 2FA on and signs in with a code."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.support.browser import ARTIFACTS, sign_in

PASSWORD = "Portal-hasło-2026"


def _portal_sign_in(portal: Any, live_url: Any, email: str) -> None:
    portal.goto(live_url("alfa", "/portal/login/"))
    portal.get_by_label("E-mail").fill(email)
    portal.get_by_label("Hasło").fill(PASSWORD)
    portal.get_by_test_id("portal-login").click()


def test_a_branded_portal_with_a_shared_file_and_a_project_discussion(committed, page, live_url, tmp_path):
    from crm.accounts.models import User
    from crm.portal.models import PortalBranding
    from crm.portal.services import portal_access_grant
    from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory
    from tests.crm.projects.factories import project_make

    schema = committed.a.schema_name
    with schema_context(schema):
        szef = User.objects.get(email="szef@alfa.test")
        customer = CustomerFactory(name="Klient z projektem")
        contact = ContactPersonFactory(customer=customer, name="Ola Klientka", email="ola-projekt@klient.test")
        portal_access_grant(email=contact.email, password=PASSWORD, permissions=["projects"])
        project = project_make(customer=customer, actor=szef, name="Nowa strona")
    try:
        sign_in(page, live_url)
        page.goto(live_url("alfa", "/settings/portal/"))
        page.get_by_label("Kolor główny portalu").fill("#0a3d62")
        page.get_by_role("button", name="Zapisz").click()
        expect(page.get_by_test_id("portal-branding-current")).to_contain_text("#0a3d62")

        # A file on the project card, shown to the customer, and a message for them.
        page.goto(live_url("alfa", f"/projects/{project.pk}/"))
        plan = tmp_path / "harmonogram.txt"
        plan.write_text("Etap 1: projekt graficzny")
        files = page.locator("section.files-section")
        files.locator("input[type=file]").set_input_files(str(plan))
        files.get_by_role("button", name="Wyślij").click()
        expect(files).to_contain_text("harmonogram.txt")
        page.reload()
        page.get_by_test_id("portal-file-share").click()
        expect(page.get_by_test_id("portal-file-shared")).to_be_visible()
        staff_form = page.get_by_test_id("staff-message-form")
        staff_form.get_by_label("Wiadomość").fill("Harmonogram jest w plikach.")
        staff_form.get_by_role("button", name="Wyślij klientowi").click()
        expect(page.locator("#portal-discussion")).to_contain_text("Harmonogram jest w plikach.")

        # The contact, in another browser: the company's colour, the file, the discussion.
        portal = page.context.browser.new_context(locale="pl-PL").new_page()
        _portal_sign_in(portal, live_url, contact.email)
        navbar = portal.get_by_test_id("portal-navbar")
        expect(navbar).to_have_css("background-color", "rgb(10, 61, 98)")
        expect(portal.get_by_test_id("portal-company")).to_have_css("color", "rgb(255, 255, 255)")
        portal.goto(live_url("alfa", f"/portal/projects/{project.pk}/"))
        expect(portal.get_by_test_id("project-messages")).to_contain_text("Harmonogram jest w plikach.")
        with portal.expect_download() as download_info:
            portal.get_by_test_id("portal-project-file").click()
        download = download_info.value
        assert download.suggested_filename == "harmonogram.txt"
        assert Path(download.path()).read_text(encoding="utf-8") == "Etap 1: projekt graficzny"
        form = portal.get_by_test_id("portal-message-form")
        form.get_by_label("Wiadomość").fill("Dziękuję, akceptuję etap 1.")
        form.get_by_role("button", name="Wyślij").click()
        expect(portal.get_by_test_id("project-messages")).to_contain_text("Dziękuję, akceptuję etap 1.")
        portal.set_viewport_size({"width": 390, "height": 844})
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        portal.screenshot(path=str(ARTIFACTS / "portal-project-390.png"), full_page=True)
        assert portal.evaluate("document.documentElement.scrollWidth") <= 390

        page.reload()
        expect(page.locator("#portal-discussion")).to_contain_text("Dziękuję, akceptuję etap 1.")
        portal.context.close()
    finally:
        with schema_context(schema):
            PortalBranding.objects.all().delete()


def test_a_contact_switches_2fa_on_and_signs_in_with_a_code(committed, page, live_url):
    from crm.portal.services import portal_access_grant
    from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory

    with schema_context(committed.a.schema_name):
        contact = ContactPersonFactory(
            customer=CustomerFactory(name="Klient z 2FA"), name="Jan Ostrożny", email="jan-2fa@klient.test"
        )
        portal_access_grant(email=contact.email, password=PASSWORD, permissions=["invoices"])

    def code(secret: str, step: int) -> str:
        return format_hotp_value(hotp_value(secret, list(yield_hotp_counters_from_time())[step]))

    _portal_sign_in(page, live_url, contact.email)
    page.get_by_test_id("portal-profile").click()
    page.get_by_test_id("portal-twofa-setup").click()
    secret = page.get_by_test_id("portal-totp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7=]+", secret)
    page.get_by_label("Kod z aplikacji").fill(code(secret, 1))
    page.get_by_test_id("portal-twofa-enable").click()
    expect(page.get_by_test_id("portal-recovery-codes").locator("li")).to_have_count(10)
    page.get_by_test_id("portal-logout").click()

    _portal_sign_in(page, live_url, contact.email)
    expect(page.get_by_test_id("portal-code-form")).to_be_visible()
    page.get_by_label("Kod z aplikacji lub kod zapasowy").fill(code(secret, 2))
    page.get_by_test_id("portal-code-submit").click()
    expect(page.get_by_test_id("portal-profile")).to_contain_text("Jan Ostrożny")
