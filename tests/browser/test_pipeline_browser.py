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


def test_dropping_a_deal_on_wygrane_asks_for_the_win_reason(committed, page, live_url):
    from crm.categories.models import DealStatus, WinReason
    from crm.contacts.models import Customer
    from crm.sales.models import Deal
    from tenants.db import connection

    connection.set_tenant(committed.a)
    try:
        customer = Customer.objects.create(name="Sadownictwo Grójec")
        deal = Deal.objects.create(
            name="Chłodnia na jabłka", customer=customer, status=DealStatus.objects.get(code="in_progress")
        )
        reason = WinReason.objects.order_by("id").last()
    finally:
        connection.set_schema_to_public()
    _login(page, live_url)
    page.goto(live_url("alfa", "/deals/"))

    card = page.get_by_test_id(f"deal-{deal.pk}")
    card.drag_to(page.get_by_test_id("drop-won"))
    expect(page.locator("#reason-modal")).to_be_visible()
    page.select_option("#modal-win-reason", label=reason.name)
    with page.expect_response(lambda r: r.url.endswith(f"/deals/{deal.pk}/move/")) as moved:
        page.locator("#reason-form button[type=submit]").click()
    assert moved.value.ok, moved.value.text()
    expect(card).to_have_count(0)

    page.goto(live_url("alfa", f"/deals/{deal.pk}/"))
    expect(page.get_by_test_id("deal-status")).to_contain_text("Wygrane")
    expect(page.get_by_test_id("deal-history")).to_contain_text(f"powód: {reason.name}")


def test_task_form_finds_the_customer_by_search_and_offers_its_deals(committed, page, live_url):
    from crm.categories.models import DealStatus
    from crm.contacts.models import Customer
    from crm.sales.models import Deal
    from tenants.db import connection

    connection.set_tenant(committed.a)
    try:
        customer = Customer.objects.create(name="Łódzka Manufaktura Tkanin")
        Customer.objects.create(name="Gdańskie Stocznie")
        status = DealStatus.objects.get(code="in_progress")
        Deal.objects.create(name="Dostawa krosien", customer=customer, status=status)
    finally:
        connection.set_schema_to_public()
    _login(page, live_url)
    page.goto(live_url("alfa", "/tasks/new/"))

    page.get_by_label("Tytuł").fill("Umówić prezentację")
    page.fill("#id_customer_search", "lodzka")
    expect(page.locator("#id_customer option", has_text="Łódzka Manufaktura Tkanin")).to_have_count(1)
    expect(page.locator("#id_customer option", has_text="Gdańskie Stocznie")).to_have_count(0)
    page.select_option("#id_customer", label="Łódzka Manufaktura Tkanin")
    expect(page.locator("#id_deal option", has_text="Dostawa krosien")).to_have_count(1)
    page.select_option("#id_deal", label="Dostawa krosien")
    page.get_by_role("button", name="Zapisz").click()

    page.wait_for_url(re.compile(r"/tasks/\d+/$"))
    expect(page.get_by_test_id("task-title")).to_have_text("Umówić prezentację")
    expect(page.get_by_role("link", name="Dostawa krosien")).to_be_visible()


def test_task_dragged_to_the_done_column_of_the_board_is_completed(committed, page, live_url):
    from crm.accounts.models import User
    from crm.tasks.models import Task
    from tenants.db import connection

    connection.set_tenant(committed.a)
    try:
        szef = User.objects.get(email="szef@alfa.test")
        task = Task.objects.create(title="Zamówić próbki", assignee=szef, created_by=szef)
    finally:
        connection.set_schema_to_public()
    _login(page, live_url)
    page.goto(live_url("alfa", "/tasks/board/?by=state"))

    with page.expect_response(lambda r: r.url.endswith(f"/tasks/{task.pk}/board-move/")) as moved:
        page.get_by_test_id(f"task-{task.pk}").drag_to(page.get_by_test_id("column-done"))
    assert moved.value.ok, moved.value.text()

    page.goto(live_url("alfa", f"/tasks/{task.pk}/"))
    expect(page.get_by_test_id("task-state")).to_have_text("Wykonane")
