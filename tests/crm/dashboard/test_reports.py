"""Every row of every report over the known data, the filters (user, group, date
range), the CSV export and the API."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from crm.dashboard.reports import ReportFilters, report_build
from crm.dashboard.selectors import scope_for

D = Decimal


def rows(company, user, name, **filters):
    with schema_context(company.schema_name):
        report = report_build(name, scope=scope_for(user), filters=ReportFilters(**filters))
    return report.rows


def section(all_rows, key, *fields):
    fields = fields or ("label", "currency", "count", "value")
    return [tuple(r[f] for f in fields) for r in all_rows if r["section"] == key]


def test_open_sales_funnel_lists_every_stage_in_order(company_a, szef, known, frozen):
    got = rows(company_a, szef, "open-sales")
    assert section(got, "stage") == [
        ("Pierwszy kontakt", "EUR", 1, D("600")),
        ("Analiza potrzeb", "PLN", 0, D("0")),
        ("Oferta", "PLN", 2, D("7000")),
        ("Negocjacje", "PLN", 1, D("3000")),
        ("Finalizacja", "PLN", 0, D("0")),
        ("Bez etapu", "PLN", 1, D("1500")),
    ]


def test_open_sales_totals_by_category_and_by_user(company_a, szef, known, frozen):
    got = rows(company_a, szef, "open-sales")
    assert section(got, "category") == [
        ("Abonament", "PLN", 1, D("1500")),
        ("Bez kategorii", "EUR", 1, D("600")),
        ("Bez kategorii", "PLN", 1, D("2000")),
        ("Produkty", "PLN", 1, D("5000")),
        ("Usługi", "PLN", 1, D("3000")),
    ]
    assert section(got, "user") == [
        ("Anna Szef", "PLN", 2, D("7000")),
        ("Anna Szef", "EUR", 1, D("600")),
        ("Bez opiekuna", "PLN", 1, D("1500")),
        ("Piotr Pracownik", "PLN", 1, D("3000")),
    ]


def test_open_sales_filtered_by_creation_date_user_and_group(company_a, szef, pracownik, known, frozen):
    in_range = rows(company_a, szef, "open-sales", date_from=date(2025, 3, 6), date_to=date(2025, 3, 11))
    assert [(r[0], r[2]) for r in section(in_range, "stage") if r[2]] == [("Oferta", 1), ("Negocjacje", 1)]
    of_user = rows(company_a, szef, "open-sales", user_id=pracownik.pk)
    assert section(of_user, "user") == [("Piotr Pracownik", "PLN", 1, D("3000"))]
    of_group = rows(company_a, szef, "open-sales", group_id=known.vip.pk)
    assert section(of_group, "category") == [("Produkty", "PLN", 1, D("5000")), ("Usługi", "PLN", 1, D("3000"))]


def test_closed_sales_summary_win_ratio_and_reasons(company_a, szef, known, frozen):
    got = rows(company_a, szef, "closed-sales")
    assert section(got, "summary", "id", "currency", "count", "value", "share") == [
        ("won_7d", "PLN", 3, D("16500.50"), None),
        ("won_7d", "EUR", 0, D("0"), None),
        ("won_30d", "PLN", 3, D("16500.50"), None),
        ("won_30d", "EUR", 1, D("1000"), None),
        ("won", "PLN", 6, D("26600.50"), None),
        ("won", "EUR", 1, D("1000"), None),
        ("lost", "PLN", 2, D("2000"), None),
        ("lost", "EUR", 0, D("0"), None),
        ("win_ratio", "", 9, None, D("77.8")),
    ]
    assert section(got, "win_reason", "label", "currency", "count", "value", "share") == [
        ("Bez powodu", "PLN", 2, D("3100"), D("28.6")),
        ("Cena", "PLN", 2, D("14000"), D("28.6")),
        ("Bez powodu", "EUR", 1, D("1000"), D("14.3")),
        ("Jakość", "PLN", 1, D("2500.50"), D("14.3")),
        ("Relacja z klientem", "PLN", 1, D("7000"), D("14.3")),
    ]
    assert section(got, "loss_reason", "label", "currency", "count", "value", "share") == [
        ("Brak budżetu", "PLN", 1, D("800"), D("50.0")),
        ("Za wysoka cena", "PLN", 1, D("1200"), D("50.0")),
    ]


def test_closed_sales_date_range_counts_by_local_closing_day(company_a, szef, known, frozen):
    got = rows(company_a, szef, "closed-sales", date_from=date(2025, 3, 1), date_to=date(2025, 3, 11))
    summary = {(r["id"], r["currency"]): (r["count"], r["value"], r["share"]) for r in got if r["section"] == "summary"}
    # D2 (10.03 00:00) and D3 (09.03 23:59:59) and D4 (01.03, EUR) are in; D1 (12.03) is after the range.
    assert summary[("won", "PLN")] == (2, D("6500.50"), None)
    assert summary[("won", "EUR")] == (1, D("1000"), None)
    assert summary[("lost", "PLN")] == (1, D("1200"), None)
    assert summary[("win_ratio", "")] == (4, None, D("75.0"))
    # The fixed windows ignore the range.
    assert summary[("won_7d", "PLN")] == (3, D("16500.50"), None)


def test_user_activity_counts_tasks_done_deals_won_and_notes(company_a, szef, known, frozen):
    got = rows(company_a, szef, "user-activity")
    assert [(r["label"], r["tasks_done"], r["deals_won"], r["notes_added"]) for r in got] == [
        ("Anna Szef", 2, 5, 2),
        ("Piotr Pracownik", 1, 2, 1),  # his private task is not Szef's to count
    ]


def test_user_activity_in_a_date_range_and_for_a_group(company_a, szef, known, frozen):
    got = rows(company_a, szef, "user-activity", date_from=date(2025, 3, 1), date_to=date(2025, 3, 12))
    assert [(r["label"], r["tasks_done"], r["deals_won"], r["notes_added"]) for r in got] == [
        ("Anna Szef", 1, 2, 1),
        ("Piotr Pracownik", 1, 2, 1),
    ]
    grouped = rows(company_a, szef, "user-activity", group_id=known.vip.pk)
    assert [(r["label"], r["tasks_done"], r["deals_won"], r["notes_added"]) for r in grouped] == [
        ("Anna Szef", 0, 1, 1),
        ("Piotr Pracownik", 0, 1, 0),
    ]


# --- pages, CSV, API -------------------------------------------------------------------


def test_reports_page_shows_every_report_with_charts_and_tables(client_a, szef, known, frozen):
    response = client_a.login_as(szef).get("/reports/")
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("open-sales", "closed-sales", "user-activity", "contracts-by-year"):
        assert f'data-testid="report-{name}"' in html
        assert f"/reports/{name}/csv/" in html
    assert html.count("<svg") == 7  # funnel, category, user, win reasons, loss reasons, activity, contract years
    assert 'data-testid="card-win_ratio">77,8 %' in html
    assert 'data-testid="card-won_30d">4<' in html


def test_csv_export_has_the_report_rows_and_keeps_the_filters(client_a, szef, known, frozen):
    client_a.login_as(szef)
    response = client_a.get("/reports/closed-sales/csv/", {"date_from": "2025-03-01", "date_to": "2025-03-11"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="closed-sales-2025-03-12.csv"' in response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert table[0] == ["sekcja", "id", "nazwa", "waluta", "liczba", "wartość", "udział %"]
    assert ["summary", "won", "Wygrane w okresie", "PLN", "2", "6500.50", ""] in table
    assert ["summary", "win_ratio", "Współczynnik wygranych", "", "4", "", "75.0"] in table


def test_csv_export_is_written_to_the_activity_log(client_a, company_a, szef, known, frozen):
    from crm.activity.models import ActivityEntry

    client_a.login_as(szef).get("/reports/open-sales/csv/")
    with schema_context(company_a.schema_name):
        entry = ActivityEntry.objects.get(kind="export")
    assert entry.user_id == szef.pk
    assert "Otwarta sprzedaż" in entry.message


def test_csv_export_of_user_activity(client_a, szef, known, frozen):
    response = client_a.login_as(szef).get("/reports/user-activity/csv/")
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert table == [
        ["id użytkownika", "użytkownik", "wykonane zadania", "wygrane szanse", "dodane notatki"],
        [str(szef.pk), "Anna Szef", "2", "5", "2"],
        [str(known.d["D2"].owner_id), "Piotr Pracownik", "1", "2", "1"],
    ]


def test_api_report_rows_with_filters(client_a, szef, pracownik, known, frozen):
    body = client_a.login_as(szef).get(f"/api/v1/reports/open-sales/?user={pracownik.pk}").json()
    assert body["name"] == "open-sales"
    assert body["filters"] == {
        "user": pracownik.pk,
        "group": None,
        "date_from": None,
        "date_to": None,
        "pipeline": None,
    }
    assert [r for r in body["rows"] if r["section"] == "user"] == [
        {
            "section": "user",
            "id": pracownik.pk,
            "label": "Piotr Pracownik",
            "color": "",
            "currency": "PLN",
            "count": 1,
            "value": 3000.0,
            "share": None,
        }
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date_from=2025-13-01", "date_from"),
        ("date_from=2025-03-10&date_to=2025-03-01", "date_to"),
        ("user=999999", "user"),
        ("user=9223372036854775808", "user"),
        ("group=abc", "group"),
        ("group=-1", "group"),
        ("date_to=99999-01-01", "date_to"),
    ],
)
def test_bad_report_filters_are_refused_with_a_message(client_a, szef, known, frozen, query, field):
    client_a.login_as(szef)
    api = client_a.get(f"/api/v1/reports/closed-sales/?{query}")
    assert api.status_code == 400
    assert field in api.json()
    assert client_a.get(f"/reports/closed-sales/csv/?{query}").status_code == 400
    page = client_a.get(f"/reports/?{query}")
    assert page.status_code == 400
    assert 'class="invalid-feedback"' in page.content.decode()


def test_unknown_report_is_404(client_a, szef):
    client_a.login_as(szef)
    assert client_a.get("/api/v1/reports/nope/").status_code == 404
    assert client_a.get("/reports/nope/csv/").status_code == 404
