"""The dashboard in a real browser (gunicorn + Chromium): the Szef switches a
widget from 7 to 30 days and sees the numbers change; the page also renders with
demo-like data at 1280 px and 390 px (the screenshot in docs/ comes from here:
DASHBOARD_SCREENSHOT=docs/dashboard.png)."""

from __future__ import annotations

import os
import random
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from crm.accounts.models import Role, User
from crm.categories.defaults import categories_defaults_create
from crm.categories.models import ContactGroup, CustomerStatus, CustomerType, DealStage, TaskCategory, WinReason
from tests.crm.dashboard import factories as f
from tests.support.companies import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def sign_in(page, live_url, email="szef@alfa.test"):
    page.goto(live_url("alfa", "/accounts/login/"))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_url("alfa", "/"))


def test_szef_switches_won_deals_from_7_to_30_days_and_sees_the_new_figures(committed, page, live_url):
    now = timezone.now()
    with schema_context(committed.a.schema_name):
        categories_defaults_create()
        szef = User.objects.get(email="szef@alfa.test")
        cust = f.customer(
            "Przeglądarka Sp. z o.o.", status_code="current", owner=szef, created_at=now - timedelta(days=2)
        )
        f.customer("Stary Klient", status_code="current", owner=szef, created_at=now - timedelta(days=12))
        f.deal(cust, value="1000", status_code="won", closed_at=now - timedelta(days=2), owner=szef)
        f.deal(cust, value="2000", status_code="won", closed_at=now - timedelta(days=3), owner=szef)
        f.deal(cust, value="5000", status_code="won", closed_at=now - timedelta(days=12), owner=szef)

    sign_in(page, live_url)
    won = page.get_by_test_id("won-count")
    assert won.inner_text() == "2"
    assert page.get_by_test_id("won-value").inner_text() == "3\xa0000 PLN"
    assert page.get_by_test_id("customers-new").inner_text() == "1"

    page.get_by_test_id("won_deals-days").get_by_role("link", name="30 dni").click()
    expect(won).to_have_text("3")
    assert page.get_by_test_id("won-value").inner_text() == "8\xa0000 PLN"
    assert page.get_by_test_id("won_deals-days").locator("[aria-current=true]").inner_text() == "30 dni"
    # The other widgets kept their own window.
    assert page.get_by_test_id("customers-new").inner_text() == "1"

    page.get_by_test_id("customers-days").get_by_role("link", name="30 dni").click()
    expect(page.get_by_test_id("customers-new")).to_have_text("2")


def test_quick_add_from_the_calendar_puts_the_task_in_this_week(committed, page, live_url):
    sign_in(page, live_url)
    page.get_by_test_id("quick-add").click()
    form = page.get_by_test_id("quick-form")
    form.get_by_label("Tytuł").fill("Zadzwonić do Budmaxu")
    form.get_by_role("button", name="Zapisz zadanie").click()
    expect(page.locator("#w-calendar [role=status]")).to_contain_text("Dodano zadanie")
    expect(page.get_by_test_id("calendar")).to_contain_text("Zadzwonić do Budmaxu")


def demo_like_data(company) -> None:
    """A few dozen customers, deals and tasks spread over the last months, as a small
    company would have after a year of work (for the screenshot and the layout check)."""
    rng = random.Random(7)
    now = timezone.now()
    with schema_context(company.schema_name):
        categories_defaults_create()
        szef = User.objects.get(email="szef@alfa.test")
        prac = User.objects.get(email="pracownik@alfa.test")
        kier, _ = User.objects.get_or_create(
            email="kierownik@alfa.test", defaults={"name": "Kamil Kierownik", "role": Role.KIEROWNIK}
        )
        staff = [szef, prac, kier]
        statuses = list(CustomerStatus.objects.all())
        types = list(CustomerType.objects.all())
        groups = list(ContactGroup.objects.all())
        stages = [s.name for s in DealStage.objects.all()]
        reasons = [r.name for r in WinReason.objects.all()]
        names = [
            "Hurtownia Bursztyn", "Zakład Mechaniczny Dąb", "Biuro Rachunkowe Kłos", "Studio Płomień", "Elmech S.A.",
            "Transbud Sp. z o.o.", "Logistyka Odra", "Serwis Wisła", "Piekarnia Łan", "Młyn Zorza", "Apteka Źródło",
            "Drukarnia Świt", "Mostostal Kielce", "Budrem Opole", "Handel Mazur", "Kaszub Meble", "Górnik Sport",
            "Sokół Transport", "Orzeł Security", "Jawor Ogrody", "Ślęża Media", "Żuraw Dźwigi", "Anna Nowak",
            "Piotr Wiśniewski", "Łucja Kamińska", "Tomasz Zieliński", "Kancelaria Lex", "Optyk Oko", "Auto-Serwis Koło",
        ]  # fmt: skip
        customers = []
        for i, name in enumerate(names):
            created = now - timedelta(days=rng.choice([0, 1, 2, 4, 6, 9, 15, 25, 40, 70, 100, 160, 220, 300]))
            contact = now - timedelta(days=rng.choice([0, 1, 2, 5, 8, 20, 45])) if rng.random() < 0.8 else None
            cust = f.customer(
                name,
                status_obj=rng.choice(statuses),
                type_name=rng.choice(types).name,
                owner=staff[i % 3],
                created_at=created,
                last_contact_at=contact,
                followers=(szef,) if i % 3 == 0 else (),
                groups=(rng.choice(groups),),
            )
            customers.append(cust)
        for i in range(36):
            cust = rng.choice(customers)
            value = Decimal(rng.choice([1200, 2500, 4800, 7500, 12000, 18500, 32000]))
            code = rng.choice(["in_progress", "in_progress", "won", "won", "lost", "postponed"])
            age = rng.choice([0, 1, 2, 5, 6, 12, 20, 28, 60, 200, 400, 700])
            closed = now - timedelta(days=age) if code in ("won", "lost") else None
            f.deal(
                cust,
                value=value,
                status_code=code,
                stage=rng.choice(stages),
                category=rng.choice(["Produkty", "Usługi", "Abonament"]),
                owner=staff[i % 3],
                created_at=now - timedelta(days=age + rng.randint(0, 20)),
                closed_at=closed,
                win_reason=rng.choice(reasons) if code == "won" else None,
                loss_reason="Za wysoka cena" if code == "lost" else None,
                name=f"Oferta {i + 1}",
            )
        monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
        titles = ["Telefon: przedłużenie umowy", "Spotkanie w biurze klienta", "Wysłać ofertę", "Prezentacja produktu",
                  "Przypomnieć o płatności", "Wizyta serwisowa", "Podpisanie umowy"]  # fmt: skip
        cats = list(TaskCategory.objects.all())
        for i, title in enumerate(titles):
            day = monday + timedelta(days=i % 6)
            due = f.waw(day.year, day.month, day.day, 9 + i, 0)
            f.task(
                title,
                assignee=szef,
                created_by=szef,
                starts_at=due,
                due_at=due,
                category=cats[i % len(cats)].name,
                customer_obj=customers[i],
                done=due < now and i % 2 == 0,
            )


def test_dashboard_with_demo_like_data_fits_desktop_and_phone(committed, page, live_url):
    demo_like_data(committed.a)
    sign_in(page, live_url)
    for key in (
        "customers",
        "contracts",
        "won_deals",
        "opportunities",
        "followups",
        "calendar",
        "chart_customers_month",
    ):
        assert page.locator(f"[data-widget={key}]").is_visible()
    assert page.locator("svg.chart").count() == 5
    # Category colours are painted by dashboard.js (no inline styles in the HTML).
    colour = page.locator("#w-chart_customers_status .dot[data-color]").first.evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert colour != "rgba(0, 0, 0, 0)"
    target = os.environ.get("DASHBOARD_SCREENSHOT")
    shot = ROOT / target if target else ROOT / ".local" / "test-artifacts" / "dashboard.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.screenshot(path=str(ROOT / ".local" / "test-artifacts" / "dashboard-390.png"), full_page=True)


def test_reports_page_with_demo_like_data_fits_desktop_and_phone(committed, page, live_url):
    demo_like_data(committed.a)
    sign_in(page, live_url)
    page.goto(live_url("alfa", "/reports/"))
    for name in ("open-sales", "closed-sales", "user-activity", "contracts-by-year"):
        assert page.get_by_test_id(f"report-{name}").is_visible()
    assert page.locator("svg.chart").count() == 7
    shots = ROOT / ".local" / "test-artifacts"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "reports.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.screenshot(path=str(shots / "reports-390.png"), full_page=True)
