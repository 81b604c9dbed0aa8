"""The contract blocks of the home page (the summary of new contracts, value by start
year), the report "contract value by start year" and its CSV, all read from contracts,
apart from the won-deal blocks; over known contracts at the edges of the windows.

Frozen now: 2025-03-12 10:00 in Warsaw; windows from 10.03 (3 days), 06.03 (7 days),
11.02 (30 days); the chart's years 2021-2025."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from crm.dashboard.models import HomepageLayout
from crm.dashboard.reports import ReportFilters, report_build
from crm.dashboard.selectors import contract_facts, scope_for
from crm.dashboard.widgets import DEFAULT_LAYOUTS
from tests.crm.dashboard import factories as f
from tests.crm.dashboard.conftest import text_of
from tests.crm.dashboard.test_homepage_settings import widgets_on

D = Decimal


@pytest.fixture
def contracts(company_a, szef, pracownik, known):
    w, c = f.waw, known.c
    with schema_context(company_a.schema_name):
        return {
            # created today, starts next week
            "K1": f.contract(
                c["C1"], value="5000", start=date(2025, 3, 15), created_at=w(2025, 3, 12, 8, 0), owner=szef
            ),
            # on the 3-day edge (local midnight), Pracownik's
            "K2": f.contract(
                c["C2"], value="2000.50", start=date(2025, 1, 1), created_at=w(2025, 3, 10, 0, 0), owner=pracownik
            ),
            # one second before the 3-day window
            "K3": f.contract(
                c["C3"], value="1000", start=date(2024, 6, 1), created_at=w(2025, 3, 9, 23, 59, 59), owner=szef
            ),
            "K4": f.contract(
                c["C4"],
                value="800",
                currency="EUR",
                start=date(2025, 3, 6),
                created_at=w(2025, 3, 6, 0, 0),
                owner=pracownik,
                status="draft",
            ),
            # on the 30-day edge
            "K5": f.contract(
                c["C6"], value="3000", start=date(2023, 2, 1), created_at=w(2025, 2, 11, 0, 0), owner=szef
            ),
            # one second before the 30-day window
            "K6": f.contract(
                c["C7"], value="9000", start=date(2021, 5, 5), created_at=w(2025, 2, 10, 23, 59, 59), owner=szef
            ),
            # started before the chart's five years
            "K7": f.contract(c["C9"], value="4000", start=date(2020, 12, 31), created_at=w(2024, 1, 1), owner=szef),
            # starts next year: in the report, not in the chart
            "K8": f.contract(
                c["C9"],
                value="700",
                start=date(2026, 1, 1),
                created_at=w(2024, 12, 1),
                owner=szef,
                status="terminated",
            ),
        }


def _facts(company, user):
    with schema_context(company.schema_name):
        return contract_facts(scope_for(user))


@pytest.mark.parametrize(
    ("days", "count", "totals"),
    [
        (3, 2, [("PLN", D("7000.50"))]),
        (7, 4, [("PLN", D("8000.50")), ("EUR", D("800"))]),
        (30, 5, [("PLN", D("11000.50")), ("EUR", D("800"))]),
    ],
)
def test_contract_summary_counts_and_sums_contracts_created_within_the_window(
    company_a, szef, contracts, frozen, days, count, totals
):
    fig = _facts(company_a, szef).window(days)
    assert (fig.days, fig.count, fig.totals) == (days, count, totals)


def test_contract_value_by_start_year_covers_the_last_five_years(company_a, szef, contracts, frozen):
    years = _facts(company_a, szef).by_year
    assert [(y.year, y.count, y.totals) for y in years] == [
        (2021, 1, [("PLN", D("9000"))]),
        (2022, 0, [("PLN", D("0"))]),
        (2023, 1, [("PLN", D("3000"))]),
        (2024, 1, [("PLN", D("1000"))]),
        (2025, 3, [("PLN", D("7000.50")), ("EUR", D("800"))]),
    ]


def test_no_contracts_means_zero_in_pln(company_a, szef, known, frozen):
    facts = _facts(company_a, szef)
    assert [(fig.count, fig.totals) for fig in facts.windows.values()] == [(0, [("PLN", D("0"))])] * 3


def test_restricted_pracownik_counts_only_his_own_contracts(
    company_a, pracownik, contracts, frozen, restricted_pracownik
):
    facts = _facts(company_a, pracownik)
    assert (facts.window(3).count, facts.window(3).totals) == (1, [("PLN", D("2000.50"))])
    assert (facts.window(30).count, facts.window(30).totals) == (2, [("PLN", D("2000.50")), ("EUR", D("800"))])
    assert [(y.year, y.count) for y in facts.by_year if y.count] == [(2025, 2)]


def test_unrestricted_pracownik_counts_every_contract(company_a, pracownik, contracts, frozen):
    assert _facts(company_a, pracownik).window(30).count == 5


# --- the page, the partial, the API ------------------------------------------------------


def test_home_page_shows_the_contract_summary_and_the_chart_with_its_table(client_a, szef, contracts, frozen):
    html = client_a.login_as(szef).get("/?contracts_days=3").content.decode()
    assert text_of(html, "contracts-count") == "2"
    assert text_of(html, "contracts-value") == "7\xa0000,50 PLN"
    assert 'href="/contracts/"' in html
    table = text_of(html, "table-chart_contracts_by_year")
    assert "Rok Umowy Wartość 2021 1 9\xa0000 PLN 2022 0 0 PLN 2023 1 3\xa0000 PLN" in table
    assert table.endswith("2025 3 7\xa0000,50 PLN · 800 EUR")
    assert "Wartość umów wg roku rozpoczęcia" in html


def test_contract_partial_switches_the_window(client_a, szef, contracts, frozen):
    client_a.login_as(szef)
    seven = client_a.get("/dashboard/widgets/contracts/?contracts_days=7", HTTP_HX_REQUEST="true")
    thirty = client_a.get("/dashboard/widgets/contracts/?contracts_days=30", HTTP_HX_REQUEST="true")
    assert seven.status_code == thirty.status_code == 200
    assert b"<html" not in seven.content
    assert text_of(seven.content, "contracts-count") == "4"
    assert text_of(thirty.content, "contracts-count") == "5"
    assert text_of(thirty.content, "contracts-value") == "11\xa0000,50 PLN · 800 EUR"
    assert 'data-days="30" aria-current="true"' in thirty.content.decode()


def test_bad_contract_window_falls_back_to_seven_days(client_a, szef, contracts, frozen):
    html = client_a.login_as(szef).get("/dashboard/widgets/contracts/?contracts_days=abc").content
    assert text_of(html, "contracts-count") == "4"


def test_api_returns_the_contract_summary_and_value_by_year(client_a, szef, contracts, frozen):
    client_a.login_as(szef)
    body = client_a.get("/api/v1/dashboard/?days=30").json()
    assert body["contracts"] == {"days": 30, "count": 5, "value": {"PLN": 11000.5, "EUR": 800.0}}
    assert body["contract_value_by_year"] == [
        {"year": 2021, "count": 1, "value": {"PLN": 9000.0}},
        {"year": 2022, "count": 0, "value": {"PLN": 0.0}},
        {"year": 2023, "count": 1, "value": {"PLN": 3000.0}},
        {"year": 2024, "count": 1, "value": {"PLN": 1000.0}},
        {"year": 2025, "count": 3, "value": {"PLN": 7000.5, "EUR": 800.0}},
    ]
    assert client_a.get("/api/v1/dashboard/?days=3").json()["contracts"] == {
        "days": 3,
        "count": 2,
        "value": {"PLN": 7000.5},
    }


def test_restricted_pracownik_api_counts_only_his_contracts(
    client_a, pracownik, contracts, frozen, restricted_pracownik
):
    body = client_a.login_as(pracownik).get("/api/v1/dashboard/?days=30").json()
    assert body["contracts"] == {"days": 30, "count": 2, "value": {"PLN": 2000.5, "EUR": 800.0}}
    html = client_a.get("/?contracts_days=30").content.decode()
    assert text_of(html, "contracts-count") == "2"


def test_another_company_sees_none_of_our_contracts(client_b, outsider, contracts, frozen):
    body = client_b.login_as(outsider).get("/api/v1/dashboard/?days=30").json()
    assert body["contracts"]["count"] == 0
    assert all(y["count"] == 0 for y in body["contract_value_by_year"])
    assert text_of(client_b.get("/").content, "contracts-count") == "0"
    rows = client_b.get("/api/v1/reports/contracts-by-year/").json()["rows"]
    assert [(r["section"], r["count"]) for r in rows] == [("summary", 0)]


def test_a_won_deal_does_not_change_the_contract_figures_nor_a_contract_the_won_deals(
    client_a, company_a, szef, contracts, known, frozen
):
    client_a.login_as(szef)
    before = client_a.get("/api/v1/dashboard/?days=30").json()
    assert before["won_deals"] == {"days": 30, "count": 4, "value": {"PLN": 16500.5, "EUR": 1000.0}}
    with schema_context(company_a.schema_name):
        f.deal(known.c["C5"], value="50000", status_code="won", closed_at=f.waw(2025, 3, 12, 9, 0), owner=szef)
    after_deal = client_a.get("/api/v1/dashboard/?days=30").json()
    assert after_deal["won_deals"]["count"] == 5
    assert after_deal["contracts"] == before["contracts"]
    assert after_deal["contract_value_by_year"] == before["contract_value_by_year"]
    with schema_context(company_a.schema_name):
        f.contract(known.c["C5"], value="1", start=date(2025, 3, 12), created_at=f.waw(2025, 3, 12, 9, 0), owner=szef)
    after_contract = client_a.get("/api/v1/dashboard/?days=30").json()
    assert after_contract["contracts"]["count"] == 6
    assert after_contract["won_deals"] == after_deal["won_deals"]
    assert after_contract["won_value_by_year"] == after_deal["won_value_by_year"]


def test_demo_contracts_show_on_the_demo_home_page(client_a, company_a, szef, known, frozen):
    from crm.contracts.demo import contracts_demo_seed

    with schema_context(company_a.schema_name):
        made = contracts_demo_seed()
    assert made == 5
    html = client_a.login_as(szef).get("/").content.decode()
    assert text_of(html, "contracts-count") == "5"
    assert text_of(html, "contracts-value") == "75\xa0600 PLN"


# --- layouts --------------------------------------------------------------------------


def test_default_layouts_show_the_contract_and_the_won_deal_blocks(client_a, szef, kierownik, pracownik):
    for rank in ("szef", "kierownik"):
        for key in ("contracts", "won_deals", "chart_contracts_by_year", "chart_won_by_year"):
            assert key in DEFAULT_LAYOUTS[rank]
    assert {"contracts", "won_deals"} <= set(DEFAULT_LAYOUTS["pracownik"])
    on_page = widgets_on(client_a.login_as(pracownik).get("/").content)
    assert on_page.index("contracts") < on_page.index("won_deals")
    assert "chart_contracts_by_year" in widgets_on(client_a.login_as(kierownik).get("/").content)


def test_a_saved_layout_stays_as_saved_and_offers_the_contract_blocks_unticked(client_a, company_a, szef, pracownik):
    with schema_context(company_a.schema_name):
        f.HomepageLayoutFactory(role="pracownik", widgets=["customers", "won_deals"])
    assert widgets_on(client_a.login_as(pracownik).get("/").content) == ["customers", "won_deals"]
    assert client_a.get("/dashboard/widgets/contracts/").status_code == 404
    form = client_a.login_as(szef).get("/settings/homepage/?role=pracownik").content.decode()
    assert 'name="show_contracts"' in form
    assert 'name="show_contracts" checked' not in form.replace('role="switch" ', "")
    with schema_context(company_a.schema_name):
        assert HomepageLayout.objects.get(role="pracownik").widgets == ["customers", "won_deals"]


def test_contract_blocks_in_english(client_a, szef, contracts, frozen):
    html = client_a.login_as(szef).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Contract summary" in html
    assert "Contract value by start year" in html
    assert "Won deals" in html
    assert "Won deal value by year" in html
    reports = client_a.get("/reports/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Contract value by start year" in reports


# --- the report ---------------------------------------------------------------------------


def _rows(company, user, **filters):
    with schema_context(company.schema_name):
        return report_build("contracts-by-year", scope=scope_for(user), filters=ReportFilters(**filters)).rows


def _years(rows):
    return [(r["label"], r["currency"], r["count"], r["value"]) for r in rows if r["section"] == "year"]


def test_report_lists_every_start_year_from_the_first_to_the_last(company_a, szef, contracts, frozen):
    rows = _rows(company_a, szef)
    assert _years(rows) == [
        ("2020", "PLN", 1, D("4000")),
        ("2021", "PLN", 1, D("9000")),
        ("2022", "PLN", 0, D("0")),
        ("2023", "PLN", 1, D("3000")),
        ("2024", "PLN", 1, D("1000")),
        ("2025", "PLN", 2, D("7000.50")),
        ("2025", "EUR", 1, D("800")),
        ("2026", "PLN", 1, D("700")),
    ]
    assert [(r["id"], r["currency"], r["count"], r["value"]) for r in rows if r["section"] == "summary"] == [
        ("total", "PLN", 7, D("24700.50")),
        ("total", "EUR", 1, D("800")),
    ]
    shares = {(r["label"], r["currency"]): r["share"] for r in rows if r["section"] == "year"}
    assert shares[("2021", "PLN")] == D("36.4")  # 9000 / 24700.50
    assert shares[("2025", "EUR")] == D("100.0")
    assert shares[("2022", "PLN")] == D("0.0")


def test_report_filters_by_owner_start_date_and_group(company_a, szef, pracownik, contracts, known, frozen):
    assert _years(_rows(company_a, szef, user_id=pracownik.pk)) == [
        ("2025", "PLN", 1, D("2000.50")),
        ("2025", "EUR", 1, D("800")),
    ]
    assert _years(_rows(company_a, szef, date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))) == [
        ("2024", "PLN", 1, D("1000")),
    ]
    assert _years(_rows(company_a, szef, date_from=date(2025, 1, 1), date_to=date(2025, 1, 1))) == [
        ("2025", "PLN", 1, D("2000.50")),
    ]
    assert _years(_rows(company_a, szef, group_id=known.vip.pk)) == [
        ("2024", "PLN", 1, D("1000")),
        ("2025", "EUR", 1, D("800")),
    ]


def test_report_for_a_restricted_pracownik_holds_only_his_contracts(
    company_a, pracownik, contracts, frozen, restricted_pracownik
):
    assert _years(_rows(company_a, pracownik)) == [("2025", "PLN", 1, D("2000.50")), ("2025", "EUR", 1, D("800"))]


def test_report_without_contracts_has_no_years_and_a_zero_total(company_a, szef, known, frozen):
    rows = _rows(company_a, szef)
    assert _years(rows) == []
    assert [(r["section"], r["currency"], r["count"], r["value"]) for r in rows] == [("summary", "PLN", 0, D("0"))]


def test_reports_page_shows_the_contract_report_with_its_total(client_a, szef, contracts, frozen):
    html = client_a.login_as(szef).get("/reports/").content.decode()
    assert 'data-testid="report-contracts-by-year"' in html
    assert "/reports/contracts-by-year/csv/" in html
    assert text_of(html, "card-total") == "8"
    assert text_of(html, "card-total-value") == "24\xa0700,50 PLN · 800 EUR"
    table = text_of(html, "table-contracts-by-year-year")
    assert "2021 1 9\xa0000 PLN 36,4 % 2022 0 0 PLN 0,0 %" in table


def test_contract_report_csv(client_a, company_a, szef, contracts, frozen):
    from crm.activity.models import ActivityEntry

    response = client_a.login_as(szef).get("/reports/contracts-by-year/csv/?date_from=2025-01-01")
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert table == [
        ["sekcja", "id", "nazwa", "waluta", "liczba", "wartość", "udział %"],
        ["summary", "total", "Wszystkie umowy", "PLN", "3", "7700.50", ""],
        ["summary", "total", "Wszystkie umowy", "EUR", "1", "800.00", ""],
        ["year", "2025", "2025", "PLN", "2", "7000.50", "90.9"],
        ["year", "2025", "2025", "EUR", "1", "800.00", "100.0"],
        ["year", "2026", "2026", "PLN", "1", "700.00", "9.1"],
    ]
    with schema_context(company_a.schema_name):
        assert "Wartość umów wg roku rozpoczęcia" in ActivityEntry.objects.get(kind="export").message


def test_contract_report_api_and_bad_filters(client_a, szef, contracts, frozen):
    client_a.login_as(szef)
    body = client_a.get("/api/v1/reports/contracts-by-year/?date_from=2026-01-01").json()
    assert body["name"] == "contracts-by-year"
    assert [(r["section"], r["id"], r["currency"], r["count"], r["value"]) for r in body["rows"]] == [
        ("summary", "total", "PLN", 1, 700.0),
        ("year", 2026, "PLN", 1, 700.0),
    ]
    assert client_a.get("/api/v1/reports/contracts-by-year/?date_from=2025-02-30").status_code == 400
    assert client_a.get("/reports/contracts-by-year/csv/?date_to=x").status_code == 400


def test_contract_report_needs_a_login(client_a):
    assert client_a.get("/reports/contracts-by-year/csv/").status_code == 302
    assert client_a.get("/api/v1/reports/contracts-by-year/").status_code in (401, 403)
