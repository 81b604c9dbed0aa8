"""In a real browser: a customer with a contact person, a deal, a drag to another stage
on the pipeline board, and the change on the customer card's timeline."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def _login(page, live_url) -> None:
    page.goto(live_url("alfa", "/accounts/login/"))
    page.fill("input[name=login]", "szef@alfa.test")
    page.fill("input[name=password]", "Haslo-testowe-123")
    page.click("button[type=submit]")
    page.wait_for_url(live_url("alfa", "/"))


def test_deal_dragged_to_another_stage_shows_on_the_customer_timeline(committed, page, live_url):
    _login(page, live_url)

    # A customer, through the customers form
    page.goto(live_url("alfa", "/customers/new/"))
    page.fill("form.customer-form input[name=name]", "Przetwórnia Owoców Łącko")
    page.click("form.customer-form button[type=submit]")
    page.wait_for_url(re.compile(r"/customers/\d+/"))
    customer_id = re.search(r"/customers/(\d+)/", page.url).group(1)  # type: ignore[union-attr]

    # ... with a contact person, on the card's contacts tab
    page.goto(live_url("alfa", f"/customers/{customer_id}/?tab=contacts"))
    contact_form = page.locator(f"form[action='/customers/{customer_id}/contacts/new/']")
    contact_form.locator("input[name=name]").fill("Jadwiga Sadowska")
    contact_form.locator("input[name=position]").fill("Dyrektor zakupów")
    contact_form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("contact-list")).to_contain_text("Jadwiga Sadowska")

    # A deal for this customer (the customer comes preselected from the link)
    page.goto(live_url("alfa", f"/deals/new/?customer={customer_id}"))
    expect(page.locator("#id_customer option:checked")).to_have_text("Przetwórnia Owoców Łącko")
    page.get_by_label("Nazwa").fill("Linia do tłoczenia soków")
    page.get_by_label("Wartość").fill("250000")
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_url(re.compile(r"/deals/\d+/$"))
    deal_id = re.search(r"/deals/(\d+)/", page.url).group(1)  # type: ignore[union-attr]
    expect(page.get_by_test_id("deal-stage")).to_contain_text("Pierwszy kontakt")

    # Drag the card from the first stage to the second on the board
    page.goto(live_url("alfa", "/deals/"))
    columns = page.locator(".pipeline-cards")
    card = page.get_by_test_id(f"deal-{deal_id}")
    expect(columns.nth(0).get_by_test_id(f"deal-{deal_id}")).to_be_visible()
    target = columns.nth(1)
    with page.expect_response(lambda r: r.url.endswith(f"/deals/{deal_id}/move/")) as moved:
        card.drag_to(target)
    assert moved.value.ok, moved.value.text()
    expect(target.get_by_test_id(f"deal-{deal_id}")).to_be_visible()
    expect(page.locator(".pipeline-column").nth(1).locator("[data-count]")).to_have_text("1")
    expect(page.locator(".pipeline-column").nth(1).locator("[data-total]")).to_contain_text("250")

    # After a reload the deal stays in the new column
    page.reload()
    expect(page.locator(".pipeline-cards").nth(1).get_by_test_id(f"deal-{deal_id}")).to_be_visible()

    # ... and the customer card's timeline tells the story
    page.goto(live_url("alfa", f"/customers/{customer_id}/?tab=timeline"))
    expect(page.get_by_test_id("timeline")).to_contain_text(
        "Szansa „Linia do tłoczenia soków”: etap zmieniony z „Pierwszy kontakt” na „Analiza potrzeb”."
    )


def test_task_dragged_to_another_day_in_the_calendar_is_rescheduled(committed, page, live_url):
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from crm.accounts.models import User
    from crm.tasks.models import Task
    from tenants.db import connection

    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    connection.set_tenant(committed.a)
    try:
        szef = User.objects.get(email="szef@alfa.test")
        task = Task.objects.create(
            title="Przegląd umowy",
            assignee=szef,
            created_by=szef,
            due_at=timezone.make_aware(datetime.combine(monday, time(14, 30))),
        )
    finally:
        connection.set_schema_to_public()
    _login(page, live_url)

    page.goto(live_url("alfa", f"/tasks/calendar/?view=week&date={monday.isoformat()}"))
    wednesday = (monday + timedelta(days=2)).isoformat()
    with page.expect_response(lambda r: r.url.endswith(f"/tasks/{task.pk}/reschedule/")) as moved:
        page.get_by_test_id(f"task-{task.pk}").drag_to(page.get_by_test_id(f"day-{wednesday}"))
    assert moved.value.ok, moved.value.text()

    page.reload()
    expect(page.get_by_test_id(f"day-{wednesday}").get_by_test_id(f"task-{task.pk}")).to_contain_text("14:30")
