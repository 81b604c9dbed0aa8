"""Customer pages in a real browser (Chromium): live duplicate warning, groups made on
the card, notes and files through htmx, the live search with filters in the URL, and
the list at phone width."""

from __future__ import annotations

import re

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from crm.accounts.models import User
from crm.contacts.models import Customer


def _login(page, live_url) -> None:
    page.goto(live_url("alfa", "/accounts/login/"))
    page.fill("input[name=login]", "szef@alfa.test")
    page.fill("input[name=password]", "Haslo-testowe-123")
    page.click("button[type=submit]")
    page.wait_for_url(live_url("alfa", "/"))


def test_customer_is_created_despite_a_duplicate_warning_and_worked_on_from_the_card(
    committed, page, live_url, tmp_path
):
    with schema_context(committed.a.schema_name):
        szef = User.objects.get(email="szef@alfa.test")
        Customer.objects.create(name="Stary Żuraw", tax_id="5260001246", owner=szef)
    _login(page, live_url)

    page.goto(live_url("alfa", "/customers/new/"))
    page.fill("form.customer-form input[name=name]", "Nowy Żuraw Łódź Sp. z o.o.")
    page.fill("form.customer-form input[name=tax_id]", "526-000-12-46")
    expect(page.get_by_test_id("duplicate-warning")).to_contain_text("Stary Żuraw")  # while typing
    page.click("form.customer-form button[type=submit]")
    expect(page.locator(".alert-danger")).to_contain_text("już istnieje")
    page.check("input[name=allow_duplicate]")
    page.click("form.customer-form button[type=submit]")
    page.wait_for_url(re.compile(r"/customers/\d+/$"))
    expect(page.get_by_test_id("customer-name")).to_contain_text("Nowy Żuraw Łódź")

    # A new group, named and coloured right on the card
    page.locator(".groups-editor summary").click()
    page.fill("#group-name", "Klient Platynowy")
    page.locator("#group-color").evaluate("(el) => { el.value = '#aabbcc'; }")
    page.get_by_role("button", name="Utwórz i dodaj").click()
    chip = page.get_by_test_id("assigned-groups").locator(".chip", has_text="Klient Platynowy")
    expect(chip).to_be_visible()
    expect(chip.locator(".dot")).to_have_css("background-color", "rgb(170, 187, 204)")

    # A note, added and then edited in place; the earlier wording stays in its history
    page.fill("textarea[name=body]", "Pierwsza rozmowa z prezesem.")
    page.get_by_role("button", name="Dodaj notatkę").click()
    note = page.locator("article.note").first
    expect(note).to_contain_text("Pierwsza rozmowa z prezesem.")
    note.get_by_role("link", name="Edytuj").click()
    page.locator("article.note textarea[name=body]").fill("Rozmowa z prezesem: chcą oferty.")
    page.locator("article.note").get_by_role("button", name="Zapisz").click()
    edited = page.locator("article.note").first
    expect(edited).to_contain_text("Rozmowa z prezesem: chcą oferty.")
    edited.get_by_role("link", name=re.compile("edytowano")).click()
    expect(edited.locator(".note-history")).to_contain_text("Pierwsza rozmowa z prezesem.")

    # A file on the files tab, uploaded without leaving the page, then downloadable
    page.get_by_role("tab", name="Pliki").click()
    pdf = tmp_path / "oferta handlowa.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.set_input_files("input[type=file][name=file]", str(pdf))
    page.get_by_role("button", name="Wyślij").click()
    link = page.get_by_role("link", name="oferta handlowa.pdf")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "oferta handlowa.pdf"

    # The timeline shows the note and the file next to the changes
    page.get_by_role("tab", name="Oś czasu").click()
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Rozmowa z prezesem: chcą oferty.")
    expect(timeline).to_contain_text("oferta handlowa.pdf")
    expect(timeline).to_contain_text("Dodano do grupy Klient Platynowy")


def test_live_search_updates_the_list_and_the_url_and_fits_a_phone(committed, browser, live_url):
    with schema_context(committed.a.schema_name):
        szef = User.objects.get(email="szef@alfa.test")
        Customer.objects.create(name="Hurtownia Łódź Widzew", owner=szef, tags=["hurt"])
        Customer.objects.create(name="Piekarnia Kraków", owner=szef)
    context = browser.new_context(locale="pl-PL", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        _login(page, live_url)
        page.goto(live_url("alfa", "/customers/"))
        page.fill("#f-q", "LODZ")
        expect(page.locator("#customer-results")).not_to_contain_text("Piekarnia Kraków")
        expect(page.locator("#customer-results")).to_contain_text("Hurtownia Łódź Widzew")
        expect(page).to_have_url(re.compile(r"q=LODZ"))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page is {width}px wide at 390px"

        page.reload()  # the URL alone reproduces the view
        expect(page.locator("#customer-results")).to_contain_text("Hurtownia Łódź Widzew")
        expect(page.locator("#customer-results")).not_to_contain_text("Piekarnia Kraków")
    finally:
        context.close()
