"""In a real browser: a task handed to Piotr while his page is open makes the bell show
"1" without a reload; the drop-down lists it and leads to the task; and typing "@An" in
a note offers Anna Szef, inserted with Enter."""

from __future__ import annotations

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from crm.accounts.models import User
from crm.tasks.services import task_create
from tests.crm.contacts.factories import CustomerFactory
from tests.support.browser import sign_in


def test_a_notification_appears_live_and_leads_to_its_record(committed, page, live_url):
    sign_in(page, live_url, "pracownik@alfa.test")
    badge = page.get_by_test_id("notifications-count")
    expect(badge).to_be_hidden()

    with schema_context(committed.a.schema_name):
        szef = User.objects.get(email="szef@alfa.test")
        piotr = User.objects.get(email="pracownik@alfa.test")
        task = task_create(actor=szef, title="Oddzwonić do Śrubexu", assignee=piotr)

    expect(badge).to_have_text("1", timeout=10_000)  # no reload: the page asked by itself
    page.get_by_test_id("notifications-bell").click()
    item = page.get_by_test_id("notification-item")
    expect(item).to_contain_text("Anna Szef przypisuje Ci zadanie „Oddzwonić do Śrubexu”.")
    item.click()
    page.wait_for_url(live_url("alfa", f"/tasks/{task.pk}/"))
    expect(page.get_by_test_id("notifications-count")).to_be_hidden()


def test_typing_at_in_a_note_offers_colleagues(committed, page, live_url):
    with schema_context(committed.a.schema_name):
        customer = CustomerFactory(name="Śrubex")
    sign_in(page, live_url, "pracownik@alfa.test")
    page.goto(live_url("alfa", f"/customers/{customer.pk}/"))

    area = page.locator("textarea[data-mentions]").first
    area.click()
    area.press_sequentially("Proszę @An")
    menu = page.locator("[data-testid=mention-menu]").first
    expect(menu.get_by_role("option", name="Anna Szef")).to_be_visible()
    area.press("Enter")
    expect(area).to_have_value("Proszę @Anna Szef ")
