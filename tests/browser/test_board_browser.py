"""The boards' shared drag and drop (static/js/board.js), in a real browser: a move the
server refuses, or a closing dialog, puts the card back where it was."""

from __future__ import annotations

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.support.browser import sign_in


def _open_deal(committed, name: str):
    from crm.categories.models import DealStage, DealStatus
    from crm.contacts.models import Customer
    from crm.sales.models import Deal

    with schema_context(committed.a.schema_name):
        customer = Customer.objects.create(name="Piekarnia Pod Kłosem")
        return Deal.objects.create(
            name=name,
            customer=customer,
            status=DealStatus.objects.get(code="in_progress"),
            stage=DealStage.objects.order_by("position", "id").first(),
        )


def test_a_move_the_server_refuses_puts_the_card_back_and_says_why(committed, page, live_url):
    from crm.categories.models import WinReason
    from crm.sales.models import Deal

    deal = _open_deal(committed, "Piec do chleba")
    with schema_context(committed.a.schema_name):
        WinReason.objects.all().delete()  # nothing to choose: the server refuses a win without a reason
    sign_in(page, live_url)
    page.goto(live_url("alfa", "/deals/"))
    first_column = page.locator(".pipeline-cards").nth(0)
    card = page.get_by_test_id(f"deal-{deal.pk}")
    expect(first_column.get_by_test_id(f"deal-{deal.pk}")).to_be_visible()

    card.drag_to(page.get_by_test_id("drop-won"))
    expect(page.locator("#reason-modal")).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith(f"/deals/{deal.pk}/move/")) as moved:
        page.locator("#reason-form button[type=submit]").click()
    assert moved.value.status == 400

    expect(page.get_by_test_id("board-alert")).to_be_visible()
    expect(page.get_by_test_id("board-alert")).not_to_be_empty()
    expect(first_column.get_by_test_id(f"deal-{deal.pk}")).to_be_visible()
    with schema_context(committed.a.schema_name):
        assert Deal.objects.get(pk=deal.pk).status.code == "in_progress"


def test_closing_the_reason_dialog_puts_the_deal_back_without_saving(committed, page, live_url):
    from crm.sales.models import Deal

    deal = _open_deal(committed, "Chłodnia na drożdże")
    sign_in(page, live_url)
    page.goto(live_url("alfa", "/deals/"))
    first_column = page.locator(".pipeline-cards").nth(0)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if r.url.endswith("/move/") else None)

    page.get_by_test_id(f"deal-{deal.pk}").drag_to(page.get_by_test_id("drop-lost"))
    expect(page.locator("#reason-modal")).to_be_visible()
    page.locator("#reason-modal [data-bs-dismiss=modal]").first.click()
    expect(page.locator("#reason-modal")).to_be_hidden()

    expect(first_column.get_by_test_id(f"deal-{deal.pk}")).to_be_visible()
    expect(page.get_by_test_id("board-alert")).to_be_hidden()
    assert requests == []
    with schema_context(committed.a.schema_name):
        assert Deal.objects.get(pk=deal.pk).status.code == "in_progress"


def test_a_pracownik_cannot_pick_up_a_colleagues_card_but_moves_his_own(committed, page, live_url):
    from crm.accounts.models import User
    from crm.sales.models import Deal

    others = _open_deal(committed, "Szansa szefa: mieszalnik")
    own = _open_deal(committed, "Moja szansa: dzieża")
    with schema_context(committed.a.schema_name):
        Deal.objects.filter(pk=others.pk).update(owner=User.objects.get(email="szef@alfa.test"))
        Deal.objects.filter(pk=own.pk).update(owner=User.objects.get(email="pracownik@alfa.test"))
    sign_in(page, live_url, "pracownik@alfa.test")
    page.goto(live_url("alfa", "/deals/"))
    columns = page.locator(".pipeline-cards")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if r.url.endswith("/move/") else None)

    locked = page.get_by_test_id(f"deal-{others.pk}")
    expect(locked).to_have_attribute("data-locked", "")
    expect(locked).to_contain_text("Tylko podgląd")  # said to screen readers too, not only by the cursor
    locked.drag_to(columns.nth(1))
    page.wait_for_timeout(300)
    expect(columns.nth(0).get_by_test_id(f"deal-{others.pk}")).to_be_visible()
    expect(page.get_by_test_id("board-alert")).to_be_hidden()
    assert requests == []

    with page.expect_response(lambda r: r.url.endswith(f"/deals/{own.pk}/move/")) as moved:
        page.get_by_test_id(f"deal-{own.pk}").drag_to(columns.nth(1))
    assert moved.value.ok
    expect(columns.nth(1).get_by_test_id(f"deal-{own.pk}")).to_be_visible()
    with schema_context(committed.a.schema_name):
        assert Deal.objects.get(pk=others.pk).stage_id == others.stage_id


def test_a_pracownik_cannot_pick_up_a_colleagues_task_card_but_moves_his_own(committed, page, live_url):
    from crm.accounts.models import User
    from crm.tasks.models import Task, TaskVisibility

    with schema_context(committed.a.schema_name):
        szef = User.objects.get(email="szef@alfa.test")
        pracownik = User.objects.get(email="pracownik@alfa.test")
        others = Task.objects.create(
            title="Zadanie szefa: faktury", created_by=szef, assignee=szef, visibility=TaskVisibility.EVERYONE
        )
        own = Task.objects.create(title="Moje zadanie: telefon", created_by=pracownik, assignee=pracownik)
    sign_in(page, live_url, "pracownik@alfa.test")
    page.goto(live_url("alfa", "/tasks/board/?by=state"))
    todo, done = page.get_by_test_id("column-todo"), page.get_by_test_id("column-done")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if r.url.endswith("/board-move/") else None)

    locked = page.get_by_test_id(f"task-{others.pk}")
    expect(locked).to_have_attribute("data-locked", "")
    expect(locked).to_contain_text("Tylko podgląd")  # said to screen readers too
    locked.drag_to(done)
    page.wait_for_timeout(300)
    expect(todo.get_by_test_id(f"task-{others.pk}")).to_be_visible()
    assert requests == []

    with page.expect_response(lambda r: r.url.endswith(f"/tasks/{own.pk}/board-move/")) as moved:
        page.get_by_test_id(f"task-{own.pk}").drag_to(done)
    assert moved.value.ok
    expect(done.get_by_test_id(f"task-{own.pk}")).to_be_visible()
    with schema_context(committed.a.schema_name):
        assert Task.objects.get(pk=others.pk).done is False
        assert Task.objects.get(pk=own.pk).done is True
