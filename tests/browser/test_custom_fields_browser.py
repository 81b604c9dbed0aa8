"""Custom fields in a real browser (Chromium): Szef adds a select field „Branża” for
customers in Settings, sets it on a customer, shows it as a list column and filters
the customers list by it."""

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


def test_szef_adds_a_select_field_sets_it_on_a_customer_and_filters_the_list_by_it(committed, page, live_url):
    with schema_context(committed.a.schema_name):
        szef = User.objects.get(email="szef@alfa.test")
        alfa = Customer.objects.create(name="Alfa Soft", owner=szef)
        Customer.objects.create(name="Beta Hurt", owner=szef)
    _login(page, live_url)

    # Settings > Pola własne: a select field for customers
    page.goto(live_url("alfa", "/settings/custom-fields/"))
    page.get_by_test_id("custom-fields-customer").get_by_role("link", name="Dodaj pole").click()
    form = page.get_by_test_id("custom-field-form")
    form.locator("input[name=name]").fill("Branża")
    form.locator("select[name=type]").select_option("select")
    form.locator("textarea[name=options]").fill("IT\nHandel\nProdukcja")
    form.get_by_role("button", name="Zapisz").click()
    row = page.get_by_test_id("custom-fields-customer").get_by_test_id("custom-field")
    expect(row).to_contain_text("Branża")
    expect(row).to_contain_text("branza")

    # set on a customer through its form; the card shows it
    page.goto(live_url("alfa", f"/customers/{alfa.pk}/edit/"))
    page.locator("select[name=cf_branza]").select_option("IT")
    page.locator("form.customer-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/customers/{alfa.pk}/$"))
    expect(page.get_by_test_id("cf-branza")).to_have_text("IT")

    # made a list column in Settings
    page.goto(live_url("alfa", "/settings/custom-fields/"))
    page.get_by_test_id("custom-field").get_by_role("link", name="Edytuj").click()
    page.locator("input[name=show_in_list]").check()
    page.get_by_test_id("custom-field-form").get_by_role("button", name="Zapisz").click()

    # the customers list: the column, and the filter (live, htmx) in the URL
    page.goto(live_url("alfa", "/customers/"))
    expect(page.get_by_test_id("cf-column")).to_have_text("Branża")
    expect(page.locator("#customer-results")).to_contain_text("Beta Hurt")
    page.get_by_test_id("filter-cf_branza").select_option("IT")
    expect(page.locator("#customer-results")).not_to_contain_text("Beta Hurt")
    expect(page.locator("#customer-results")).to_contain_text("Alfa Soft")
    expect(page).to_have_url(re.compile(r"cf_branza=IT"))
    expect(page.locator("#customer-results tbody tr").first.locator("td").last).to_have_text("IT")


def test_szef_adds_a_lead_field_sets_it_on_a_lead_and_filters_the_lead_list_by_it(committed, page, live_url):
    from crm.leads.models import Lead
    from crm.leads.services import lead_create

    with schema_context(committed.a.schema_name):
        szef = User.objects.get(email="szef@alfa.test")
        targi = lead_create(actor=szef, name="Olga Targowa", email="olga@targi.test")
        lead_create(actor=szef, name="Piotr Stroną", email="piotr@www.test")
    _login(page, live_url)

    # Settings > Pola własne: a select field for leads, shown in the list
    page.goto(live_url("alfa", "/settings/custom-fields/"))
    page.get_by_test_id("custom-fields-lead").get_by_role("link", name="Dodaj pole").click()
    form = page.get_by_test_id("custom-field-form")
    form.locator("input[name=name]").fill("Kanał")
    form.locator("select[name=type]").select_option("select")
    form.locator("textarea[name=options]").fill("Targi\nWWW")
    form.locator("input[name=show_in_list]").check()
    form.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_test_id("custom-fields-lead").get_by_test_id("custom-field")).to_contain_text("Kanał")

    # set on a lead through its form; the card shows it
    page.goto(live_url("alfa", f"/leads/{targi.pk}/edit/"))
    page.locator("select[name=cf_kanal]").select_option("Targi")
    page.get_by_test_id("lead-save").click()
    page.wait_for_url(re.compile(rf"/leads/{targi.pk}/$"))
    expect(page.get_by_test_id("cf-kanal")).to_have_text("Targi")
    with schema_context(committed.a.schema_name):
        assert Lead.objects.get(pk=targi.pk).custom_fields == {"kanal": "Targi"}

    # the leads list: the column, and the filter in the URL
    page.goto(live_url("alfa", "/leads/"))
    table = page.get_by_test_id("lead-table")
    expect(page.get_by_test_id("cf-column")).to_have_text("Kanał")
    expect(table).to_contain_text("Piotr Stroną")
    page.get_by_test_id("filter-cf_kanal").select_option("Targi")
    expect(page).to_have_url(re.compile(r"cf_kanal=Targi"))
    expect(table).not_to_contain_text("Piotr Stroną")
    expect(table).to_contain_text("Olga Targowa")
