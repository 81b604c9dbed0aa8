"""In a real browser: a project is created on its form, gets two milestones on its card
and a task in each, one task is marked done and the card's progress shows it; then a
timer runs from the card (kept across a reload, stopped from the header), a manual entry
is logged, the timesheet shows the week, and the unbilled time becomes a draft invoice."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from playwright.sync_api import expect


def _login(page, live_url) -> None:
    page.goto(live_url("alfa", "/accounts/login/"))
    page.fill("input[name=login]", "szef@alfa.test")
    page.fill("input[name=password]", "Haslo-testowe-123")
    page.click("button[type=submit]")
    page.wait_for_url(live_url("alfa", "/"))


def test_a_project_with_milestones_tasks_a_timer_the_timesheet_and_billed_time(committed, page, live_url):
    from django.utils import timezone

    from crm.accounts.models import User
    from crm.contacts.models import Customer
    from crm.invoicing.models import Invoice, InvoiceStatus
    from crm.projects.models import Project
    from crm.timetracking.models import TimeEntry
    from tenants.db import connection

    connection.set_tenant(committed.a)
    try:
        szef = User.objects.get(email="szef@alfa.test")
        customer = Customer.objects.create(name="Hurtownia Śrubex", owner=szef)
    finally:
        connection.set_schema_to_public()
    _login(page, live_url)

    page.goto(live_url("alfa", f"/projects/new/?customer={customer.pk}"))
    page.fill("#id_name", "Nowy magazyn")
    page.select_option("#id_status", "in_progress")
    page.fill("#id_rate", "150")
    page.get_by_test_id("project-save").click()
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
    expect(page.get_by_test_id("project-name")).to_have_text("Nowy magazyn")
    expect(page.get_by_test_id("project-progress-text")).to_contain_text("Wykonano 0 z 0 zadań (0%)")

    for name in ("Fundamenty", "Dach"):
        page.get_by_test_id("milestone-new").click()
        page.fill("#id_name", name)
        page.get_by_test_id("milestone-save").click()
        page.wait_for_url(re.compile(r"/projects/\d+/#milestones$"))
    milestones = page.get_by_test_id("milestone")
    expect(milestones).to_have_count(2)
    expect(page.get_by_test_id("milestone-name")).to_have_text(["Fundamenty", "Dach"])

    for index, title in ((0, "Wylać beton"), (0, "Zbroić płytę"), (1, "Położyć dachówkę")):
        milestone = milestones.nth(index)
        milestone.get_by_placeholder("Nowe zadanie…").fill(title)
        milestone.get_by_role("button", name="Dodaj").click()
        expect(page.get_by_test_id("milestone").nth(index)).to_contain_text(title)
    expect(page.get_by_test_id("project-progress-text")).to_contain_text("Wykonano 0 z 3 zadań (0%)")

    page.get_by_role("button", name="Oznacz jako wykonane: Wylać beton").click()

    expect(page.get_by_test_id("project-progress-text")).to_contain_text("Wykonano 1 z 3 zadań (33%)")
    expect(page.get_by_test_id("project-progress-card").get_by_test_id("project-progress")).to_have_attribute(
        "data-percent", "33"
    )
    first = page.get_by_test_id("milestone").nth(0)
    expect(first.get_by_test_id("project-progress")).to_have_attribute("data-percent", "50")
    expect(first.locator("[data-testid=project-task][data-done='1']")).to_contain_text("Wylać beton")
    card = page.url

    # a timer from the card: on the server, so a reload keeps it; stopped from the header
    page.get_by_test_id("project-timer-start").click()
    expect(page.get_by_test_id("header-timer")).to_contain_text("Nowy magazyn")
    page.reload()
    expect(page.get_by_test_id("header-timer")).to_contain_text("Nowy magazyn")
    page.get_by_test_id("header-timer-stop").click()
    expect(page.get_by_test_id("header-timer")).to_be_hidden()

    # two hours logged by hand, earlier today
    started = timezone.localtime() - timedelta(hours=2, minutes=10)
    project_id = re.search(r"/projects/(\d+)/", card).group(1)
    page.goto(live_url("alfa", f"/time/new/?project={project_id}"))
    page.fill("#id_started_at", started.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_minutes", "120")
    page.get_by_test_id("time-entry-save").click()
    page.wait_for_load_state()

    page.goto(live_url("alfa", f"/time/?week={started.date().isoformat()}"))
    expect(page.get_by_test_id("timesheet")).to_contain_text("Nowy magazyn")
    expect(page.get_by_test_id("timesheet-total")).to_contain_text("2:0")

    page.goto(card)
    expect(page.get_by_test_id("project-time-unbilled")).to_contain_text("300,")
    page.get_by_test_id("project-time-invoice-button").click()
    page.wait_for_url(re.compile(r"/invoices/\d+/$"))
    expect(page.locator("body")).to_contain_text("Nowy magazyn")

    connection.set_tenant(committed.a)
    try:
        project = Project.objects.get(name="Nowy magazyn")
        assert project.owner == szef
        assert project.tasks.filter(done=True).count() == 1
        invoice = Invoice.objects.get()
        entries = TimeEntry.objects.filter(project=project)
        minutes = sum(entry.minutes for entry in entries)
        assert invoice.status == InvoiceStatus.DRAFT and minutes >= 120
        assert set(entries.values_list("invoice_id", flat=True)) <= {invoice.pk, None}
        assert entries.filter(invoice=invoice).count() >= 1
        assert invoice.net_total >= Decimal("300.00")
    finally:
        connection.set_schema_to_public()
