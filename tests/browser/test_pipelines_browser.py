"""In a real browser: a board with two pipelines. Switching to "Serwis" shows its own
stages and deals (and is remembered), and a deal dragged within it changes stage."""

from __future__ import annotations

import re
from decimal import Decimal

from playwright.sync_api import expect


def _login(page, live_url) -> None:
    page.goto(live_url("alfa", "/accounts/login/"))
    page.fill("input[name=login]", "szef@alfa.test")
    page.fill("input[name=password]", "Haslo-testowe-123")
    page.click("button[type=submit]")
    page.wait_for_url(live_url("alfa", "/"))


def test_board_switches_between_pipelines_and_drags_a_deal_within_one(committed, page, live_url):
    from crm.accounts.models import User
    from crm.contacts.models import Customer
    from crm.sales import pipelines, services
    from tenants.db import connection

    connection.set_tenant(committed.a)
    try:
        szef = User.objects.get(email="szef@alfa.test")
        serwis = pipelines.pipeline_create(actor=None, name="Serwis")
        reported = pipelines.stage_create(actor=None, pipeline=serwis, name="Zgłoszenie", probability=20)
        repair = pipelines.stage_create(actor=None, pipeline=serwis, name="Naprawa", probability=80)
        customer = Customer.objects.create(name="Magazyny Wrocław")
        hurt_deal = services.deal_create(actor=szef, name="Dostawa regałów", customer=customer, value=Decimal("9000"))
        serwis_deal = services.deal_create(
            actor=szef, name="Naprawa wózka widłowego", customer=customer, stage=reported, value=Decimal("1200")
        )
    finally:
        connection.set_schema_to_public()
    _login(page, live_url)

    # The default pipeline's board: its five stages and its deal only
    page.goto(live_url("alfa", "/deals/"))
    expect(page.get_by_test_id(f"deal-{hurt_deal.pk}")).to_be_visible()
    expect(page.get_by_test_id(f"deal-{serwis_deal.pk}")).to_have_count(0)
    expect(page.locator(".pipeline-column")).to_have_count(5)

    # Switch to Serwis
    page.get_by_label("Lejek", exact=True).select_option(label="Serwis")
    page.wait_for_url(re.compile(rf"pipeline={serwis.pk}"))
    expect(page.locator(".pipeline-column h2")).to_have_text(["Zgłoszenie", "Naprawa"])
    expect(page.get_by_test_id(f"deal-{hurt_deal.pk}")).to_have_count(0)
    card = page.get_by_test_id(f"deal-{serwis_deal.pk}")
    expect(page.get_by_test_id(f"stage-{reported.pk}").get_by_test_id(f"deal-{serwis_deal.pk}")).to_be_visible()

    # Drag the deal to the next stage of the same pipeline
    with page.expect_response(lambda r: r.url.endswith(f"/deals/{serwis_deal.pk}/move/")) as moved:
        card.drag_to(page.get_by_test_id(f"stage-{repair.pk}"))
    assert moved.value.ok, moved.value.text()
    expect(page.get_by_test_id(f"count-{repair.pk}")).to_have_text("1")
    expect(page.get_by_test_id(f"count-{reported.pk}")).to_have_text("0")
    expect(page.get_by_test_id(f"total-{repair.pk}")).to_contain_text("1 200")

    # The board remembers the pipeline: the plain address shows Serwis, the deal in its new stage
    page.goto(live_url("alfa", "/deals/"))
    expect(page.get_by_label("Lejek", exact=True).locator("option:checked")).to_have_text("Serwis")
    expect(page.get_by_test_id(f"stage-{repair.pk}").get_by_test_id(f"deal-{serwis_deal.pk}")).to_be_visible()
