"""Every figure of every home page widget, counted exactly over known data, at the
edges of the 3/7/30-day windows computed in Europe/Warsaw."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from crm.dashboard.selectors import (
    customer_facts,
    customers_by_month,
    deal_facts,
    followups,
    my_week,
    scope_for,
    won_value_by_year,
)
from tests.crm.dashboard.conftest import text_of

D = Decimal


def _summary(company, user, days):
    with schema_context(company.schema_name):
        return customer_facts(scope_for(user), days=days).figures()


@pytest.mark.parametrize(
    ("days", "new", "current_new", "formal_new", "follow_up_new"),
    [(3, 2, 1, 1, 0), (7, 4, 2, 1, 1), (30, 6, 3, 1, 1)],
)
def test_customer_summary_counts_customers_created_since_local_midnight_of_the_window(
    company_a, szef, known, frozen, days, new, current_new, formal_new, follow_up_new
):
    figures = _summary(company_a, szef, days)
    assert figures == {
        "days": days,
        "total": 9,
        "new": new,
        "current": {"total": 3, "new": current_new},
        "formal": {"total": 2, "new": formal_new},
        "follow_up": {"total": 1, "new": follow_up_new},
    }


@pytest.mark.parametrize(
    ("days", "won", "opened"),
    [
        (3, (2, [("PLN", D("12500.50"))]), (2, [("PLN", D("6500"))])),
        (7, (3, [("PLN", D("16500.50"))]), (3, [("PLN", D("9500"))])),
        (30, (4, [("PLN", D("16500.50")), ("EUR", D("1000"))]), (4, [("PLN", D("11500"))])),
    ],
)
def test_won_and_opportunity_summaries_count_and_sum_per_currency_within_the_window(
    company_a, szef, known, frozen, days, won, opened
):
    with schema_context(company_a.schema_name):
        won_fig, open_fig = deal_facts(scope_for(szef), won_days=days, open_days=days)
    assert (won_fig.count, won_fig.totals) == won
    assert (open_fig.count, open_fig.totals) == opened


def test_postponed_and_lost_deals_are_not_opportunities_but_custom_statuses_are(company_a, szef, known, frozen):
    with schema_context(company_a.schema_name):
        _won, opened = deal_facts(scope_for(szef), won_days=3, open_days=3)
    # D9 (W toku, 5000) and D13 (custom status "Ocena", 1500); D12 (Odroczone, 9999) is left out.
    assert opened.count == 2
    assert opened.totals == [("PLN", D("6500"))]


def test_followup_reminders_count_every_bucket(company_a, szef, known, frozen):
    with schema_context(company_a.schema_name):
        data = followups(scope_for(szef))
    assert data.counts == {
        "not_today": 8,
        "not_3d": 6,
        "not_week": 5,
        "not_month": 3,
        "contacted_week": 4,
        "contacted_month": 6,
    }
    # Oldest contact first, never contacted last.
    assert [c.name for c in data.customers] == [
        "Galeria Sztuki",
        "Fabryka Mebli",
        "Elektro-Serwis",
        "Hurtownia Jan",
        "Instal-Pol",
    ]


def test_followup_reminders_only_for_customers_i_follow(company_a, szef, known, frozen):
    with schema_context(company_a.schema_name):
        data = followups(scope_for(szef), only_followed=True, bucket="contacted_month")
    assert data.counts == {
        "not_today": 2,
        "not_3d": 2,
        "not_week": 2,
        "not_month": 1,
        "contacted_week": 1,
        "contacted_month": 2,
    }
    assert [c.name for c in data.customers] == ["Apteka Zdrowie", "Elektro-Serwis"]  # latest contact first


def test_calendar_shows_my_tasks_of_this_week_by_local_day(company_a, szef, known, frozen):
    with schema_context(company_a.schema_name):
        week = my_week(scope_for(szef))
    assert [d.day for d in week] == [date(2025, 3, d) for d in range(10, 17)]
    assert [[t.title for t in d.tasks] for d in week] == [
        ["Spotkanie Budmax"],
        [],
        ["Telefon do Apteki"],
        ["Notatka do przemyślenia"],
        ["Prywatne"],
        [],
        ["Wysłać ofertę"],
    ]
    assert [d.is_today for d in week] == [False, False, True, False, False, False, False]


def test_customers_by_creation_month_uses_local_months(company_a, szef, known, frozen):
    with schema_context(company_a.schema_name):
        items = customers_by_month(scope_for(szef))
    assert [(i.label, i.value) for i in items] == [
        ("04.2024", 0),
        ("05.2024", 0),
        ("06.2024", 0),
        ("07.2024", 0),
        ("08.2024", 0),
        ("09.2024", 0),
        ("10.2024", 0),
        ("11.2024", 0),
        ("12.2024", 1),
        ("01.2025", 0),
        ("02.2025", 2),
        ("03.2025", 5),  # Elektro-Serwis: 1 March 00:30 in Warsaw is still February in UTC
    ]


def test_won_value_by_year_uses_the_local_year_of_closing(company_a, szef, known, frozen):
    with schema_context(company_a.schema_name):
        years = won_value_by_year(scope_for(szef))
    assert [(y.year, y.count, y.totals) for y in years] == [
        (2021, 0, [("PLN", D("0"))]),
        (2022, 0, [("PLN", D("0"))]),
        (2023, 0, [("PLN", D("0"))]),
        (2024, 1, [("PLN", D("3000"))]),
        (2025, 6, [("PLN", D("23600.50")), ("EUR", D("1000"))]),
    ]


def test_customers_by_status_and_type_in_settings_order_with_colours(company_a, szef, known, frozen):
    with schema_context(company_a.schema_name):
        facts = customer_facts(scope_for(szef), days=7)
    assert [(i.label, i.value, i.color) for i in facts.by_status] == [
        ("Nowy", 1, "#3498db"),
        ("Bieżący", 3, "#2ecc71"),
        ("Formalny", 2, "#1e8449"),
        ("Do kontaktu", 1, "#f39c12"),
        ("Nieaktywny", 1, "#95a5a6"),
        ("Bez statusu", 1, "#adb5bd"),
    ]
    assert [(i.label, i.value, i.color) for i in facts.by_type] == [
        ("Klient", 4, "#2457c5"),
        ("Partner", 2, "#9b59b6"),
        ("Dostawca", 1, "#d35400"),
        ("Konkurencja", 1, "#7f8c8d"),
        ("Bez typu", 1, "#adb5bd"),
    ]


def test_window_edges_follow_warsaw_across_the_dst_change(company_a, szef):
    """On 2 April 2025 (CEST, UTC+2) the 30-day window starts at 4 March 00:00 CET (23:00 UTC)."""
    from freezegun import freeze_time

    from tests.crm.dashboard import factories as f

    with schema_context(company_a.schema_name):
        f.customer("Na granicy", created_at=f.waw(2025, 3, 4, 0, 0))
        f.customer("Tuż przed", created_at=f.waw(2025, 3, 3, 23, 59, 59))
        with freeze_time("2025-04-02 08:00:00"):
            figures = customer_facts(scope_for(szef), days=30).figures()
    assert figures["new"] == 1  # "Na granicy" only; "Tuż przed" is one second early


# --- the same figures on the page and in the API ---------------------------------------


def test_home_page_shows_the_figures_of_every_widget(client_a, szef, known, frozen):
    html = client_a.login_as(szef).get("/?customers_days=30&won_days=3&opportunities_days=7").content
    assert text_of(html, "customers-current") == "3"
    assert text_of(html, "customers-current-new") == "3"
    assert text_of(html, "customers-formal") == "2"
    assert text_of(html, "customers-new") == "6"
    assert text_of(html, "customers-follow-up") == "1"
    assert text_of(html, "won-count") == "2"
    assert text_of(html, "won-value") == "12\xa0500,50 PLN"
    assert text_of(html, "opp-count") == "3"
    assert text_of(html, "opp-value") == "9\xa0500 PLN"
    assert text_of(html, "bucket-not_week").startswith("5")
    assert "Galeria Sztuki" in text_of(html, "followup-list")
    assert f'href="/customers/{known.c["C7"].pk}/"' in html.decode()
    assert "Spotkanie Budmax" in html.decode()
    assert "Anna Szef" in html.decode().split('data-testid="staff-list"')[1]


def test_widget_partial_switches_the_window(client_a, szef, known, frozen):
    client_a.login_as(szef)
    seven = client_a.get("/dashboard/widgets/won_deals/?won_days=7", HTTP_HX_REQUEST="true")
    thirty = client_a.get("/dashboard/widgets/won_deals/?won_days=30", HTTP_HX_REQUEST="true")
    assert seven.status_code == thirty.status_code == 200
    assert b"<html" not in seven.content
    assert text_of(seven.content, "won-count") == "3"
    assert text_of(thirty.content, "won-count") == "4"
    assert text_of(thirty.content, "won-value") == "16\xa0500,50 PLN · 1\xa0000 EUR"


def test_followup_widget_filters_to_followed_customers(client_a, szef, known, frozen):
    html = client_a.login_as(szef).get("/dashboard/widgets/followups/?followed=1&bucket=not_month").content
    assert text_of(html, "bucket-not_month").startswith("1")
    assert text_of(html, "followup-list").startswith("Hurtownia Jan")


def test_api_returns_every_widget_figure_as_numbers(client_a, szef, known, frozen):
    body = client_a.login_as(szef).get("/api/v1/dashboard/?days=30").json()
    assert body["days"] == 30
    assert body["customers"] == {
        "days": 30,
        "total": 9,
        "new": 6,
        "current": {"total": 3, "new": 3},
        "formal": {"total": 2, "new": 1},
        "follow_up": {"total": 1, "new": 1},
    }
    assert body["won_deals"] == {"days": 30, "count": 4, "value": {"PLN": 16500.5, "EUR": 1000.0}}
    assert body["opportunities"] == {"days": 30, "count": 4, "value": {"PLN": 11500.0}}
    assert body["followups"] == {
        "not_today": 8,
        "not_3d": 6,
        "not_week": 5,
        "not_month": 3,
        "contacted_week": 4,
        "contacted_month": 6,
    }
    assert body["calendar"] == {"week_start": "2025-03-10", "tasks": 5, "open_tasks": 4}
    assert body["customers_by_month"][-3:] == [
        {"month": "2025-01", "count": 0},
        {"month": "2025-02", "count": 2},
        {"month": "2025-03", "count": 5},
    ]
    assert body["won_value_by_year"][-2:] == [
        {"year": 2024, "count": 1, "value": {"PLN": 3000.0}},
        {"year": 2025, "count": 6, "value": {"PLN": 23600.5, "EUR": 1000.0}},
    ]
    assert [(s["name"], s["count"]) for s in body["customers_by_status"]] == [
        ("Nowy", 1),
        ("Bieżący", 3),
        ("Formalny", 2),
        ("Do kontaktu", 1),
        ("Nieaktywny", 1),
        ("Bez statusu", 1),
    ]
    assert [(s["name"], s["count"]) for s in body["customers_by_type"]] == [
        ("Klient", 4),
        ("Partner", 2),
        ("Dostawca", 1),
        ("Konkurencja", 1),
        ("Bez typu", 1),
    ]


@pytest.mark.parametrize("days", [3, 7])
def test_api_window_3_and_7(client_a, szef, known, frozen, days):
    body = client_a.login_as(szef).get(f"/api/v1/dashboard/?days={days}").json()
    expected = {3: (2, 2, 12500.5, 2, 6500.0), 7: (4, 3, 16500.5, 3, 9500.0)}[days]
    assert (
        body["customers"]["new"],
        body["won_deals"]["count"],
        body["won_deals"]["value"]["PLN"],
        body["opportunities"]["count"],
        body["opportunities"]["value"]["PLN"],
    ) == expected


@pytest.mark.parametrize("bad", ["1", "14", "abc", "-7", "7.0", "0", "3,7"])
def test_api_rejects_any_other_window_with_400(client_a, szef, bad):
    response = client_a.login_as(szef).get("/api/v1/dashboard/", {"days": bad})
    assert response.status_code == 400
    assert "days" in response.json()


def test_api_without_days_uses_seven(client_a, szef, known, frozen):
    assert client_a.login_as(szef).get("/api/v1/dashboard/").json()["days"] == 7


def test_calendar_lists_six_tasks_a_day_and_counts_the_rest(client_a, company_a, szef, frozen):
    from tests.crm.dashboard import factories as f

    with schema_context(company_a.schema_name):
        for hour in range(8, 17):
            f.task(f"Telefon {hour}", assignee=szef, created_by=szef, due_at=f.waw(2025, 3, 13, hour, 0))
        week = my_week(scope_for(szef))
    thursday = week[3]
    assert [t.title for t in thursday.tasks] == [f"Telefon {h}" for h in range(8, 14)]
    assert (thursday.more, thursday.count, thursday.open) == (3, 9, 9)
    html = client_a.login_as(szef).get("/").content.decode()
    assert "i 3 więcej" in html
    body = client_a.get("/api/v1/dashboard/").json()
    assert body["calendar"] == {"week_start": "2025-03-10", "tasks": 9, "open_tasks": 9}


def test_home_page_and_reports_in_english(client_a, szef, known, frozen):
    client_a.login_as(szef)
    html = client_a.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert text_of(html, "won_deals-days").split() == ["3", "days", "7", "days", "30", "days"]
    assert "Follow-up reminders" in html
    assert "Not contacted for a week" in html
    reports = client_a.get("/reports/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Open sales" in reports
    assert "Win ratio" in reports
