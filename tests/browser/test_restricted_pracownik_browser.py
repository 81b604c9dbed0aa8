"""In a real browser: with "Pracownik widzi tylko swoich klientów, szanse i zadania"
on, a Pracownik walks through the customer list, the search, the task list, the
calendar, the board, the pipeline and the home page and never reads the name of the
Szef's customer, though the Szef shared a task about it with everyone."""

from __future__ import annotations

import os
import re
from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from crm.accounts.models import User
from crm.company.models import CompanySettings
from tests.crm.sales.helpers import customer_make, deal_make, task_make
from tests.support.browser import sign_in

HIDDEN = "Tajna Hurtownia Szefa"


def test_restricted_pracownik_never_sees_a_hidden_customers_name(committed, page, live_url):
    now = timezone.now()
    with schema_context(committed.a.schema_name):
        settings = CompanySettings.current()
        settings.restrict_pracownik_to_own = True
        settings.save()
        szef = User.objects.get(email="szef@alfa.test")
        pracownik = User.objects.get(email="pracownik@alfa.test")
        hidden = customer_make(name=HIDDEN, owner=szef)
        own = customer_make(name="Sklep Piotra", owner=pracownik)
        deal_make(name="Kontrakt hurtowni", customer=hidden, owner=szef)
        deal_make(name="Szansa Piotra", customer=own, owner=pracownik)
        task_make(
            title="Oddzwonić do hurtowni",
            customer=hidden,
            assignee=szef,
            created_by=szef,
            visibility="everyone",
            due_at=now + timedelta(hours=1),
        )
        task_make(
            title="Wizyta w sklepie",
            customer=own,
            assignee=pracownik,
            created_by=szef,
            visibility="everyone",
            due_at=now + timedelta(hours=2),
        )

    sign_in(page, live_url, "pracownik@alfa.test")

    def visit(path: str, *, shows: str) -> None:
        page.goto(live_url("alfa", path))
        expect(page.locator("main")).to_contain_text(shows)
        assert HIDDEN not in page.content(), path

    visit("/", shows="Wizyta w sklepie")
    visit("/customers/", shows="Sklep Piotra")
    visit("/tasks/?view=all", shows="Wizyta w sklepie")
    visit("/tasks/calendar/", shows="Wizyta w sklepie")
    visit("/tasks/board/", shows="Wizyta w sklepie")
    visit("/deals/", shows="Szansa Piotra")
    visit("/deals/list/", shows="Szansa Piotra")

    # The search box of the customer list, typed as a person would
    page.goto(live_url("alfa", "/customers/"))
    search = page.locator("#f-q")
    search.fill("hurtownia")
    search.press("Enter")
    expect(page.get_by_test_id("customer-count")).to_have_text(re.compile(r"^\s*0 klient"))
    assert HIDDEN not in page.content()

    # The customer picker of a new task offers only his own customer
    page.goto(live_url("alfa", "/deals/options/customers/?q=hurt"))
    assert HIDDEN not in page.content()
    page.goto(live_url("alfa", "/tasks/new/"))
    expect(page.locator("main")).to_contain_text("Tytuł")
    assert HIDDEN not in page.content()

    # Typing the Settings address: the branded page in his language, not a bare "403 Forbidden"
    page.goto(live_url("alfa", "/settings/"))
    expect(page.get_by_test_id("error-page")).to_contain_text("Brak uprawnień")
    if os.environ.get("PERMS_SCREENSHOT"):
        page.screenshot(path=os.environ["PERMS_SCREENSHOT"], full_page=True)
