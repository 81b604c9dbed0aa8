"""In a real browser: the timer started from the project's time block shows in the page
header (the state is on the server: it is still there after a reload), stops from the
header; the timesheet shows the week's hours; billing the unbilled time opens a draft
invoice."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect


def _login(page, live_url) -> None:
    page.goto(live_url("alfa", "/accounts/login/"))
    page.fill("input[name=login]", "szef@alfa.test")
    page.fill("input[name=password]", "Haslo-testowe-123")
    page.click("button[type=submit]")
    page.wait_for_url(live_url("alfa", "/"))


def test_a_timer_from_the_project_survives_a_reload_and_the_time_is_billed(committed, page, live_url):
    from django.utils import timezone

    from crm.accounts.models import User
    from crm.invoicing.models import Invoice, InvoiceStatus
    from crm.timetracking.models import TimeEntry
    from tenants.db import connection
    from tests.crm.timetracking.factories import entry_make, project_make

    connection.set_tenant(committed.a)
    try:
        szef = User.objects.get(email="szef@alfa.test")
        project = project_make(name="Portal klienta", budget_hours=40)
        earlier = timezone.now() - timedelta(hours=3)
        entry_make(project=project, user=szef, start=earlier, minutes=120)
    finally:
        connection.set_schema_to_public()
    _login(page, live_url)

    page.goto(live_url("alfa", f"/time/projects/{project.pk}/"))
    page.get_by_test_id("project-timer-start").click()
    header = page.get_by_test_id("header-timer")
    expect(header).to_be_visible()
    expect(header).to_contain_text("Portal klienta")

    page.reload()
    expect(page.get_by_test_id("header-timer")).to_contain_text("Portal klienta")
    page.goto(live_url("alfa", "/time/"))
    expect(page.get_by_test_id("header-timer")).to_contain_text("Portal klienta")
    page.get_by_test_id("header-timer-stop").click()
    expect(page.get_by_test_id("header-timer")).to_be_hidden()

    week = timezone.localtime(earlier).date().isoformat()
    page.goto(live_url("alfa", f"/time/?week={week}"))
    expect(page.get_by_test_id("timesheet")).to_contain_text("Portal klienta")
    expect(page.get_by_test_id("timesheet-total")).to_contain_text("2:0")

    page.goto(live_url("alfa", f"/time/projects/{project.pk}/"))
    expect(page.get_by_test_id("project-time-unbilled")).to_contain_text("300,00")
    page.get_by_test_id("project-time-invoice-button").click()
    page.wait_for_url(re.compile(r"/invoices/\d+/$"))
    expect(page.locator("body")).to_contain_text("Portal klienta")

    connection.set_tenant(committed.a)
    try:
        invoice = Invoice.objects.get()
        assert invoice.status == InvoiceStatus.DRAFT
        assert TimeEntry.objects.filter(invoice=invoice).count() >= 1
        assert not TimeEntry.objects.filter(ended_at__isnull=True).exists()
    finally:
        connection.set_schema_to_public()
