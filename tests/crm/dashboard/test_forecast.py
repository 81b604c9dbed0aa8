"""The weighted forecast (value × stage probability, per expected-close month and
currency) and the pipeline filter of the sales reports: page, API, CSV."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django_tenants.utils import schema_context

from crm.categories.models import DealStage, pipeline_default
from crm.sales import pipelines, services
from tests.crm.sales.helpers import customer_make, status, win_reason

D = Decimal


def known_forecast(company, szef):
    """Hurt (default pipeline, stages 10/25/50/75/90 %) and Serwis (20 / 80 %)."""
    with schema_context(company.schema_name):
        hurt = list(DealStage.objects.filter(pipeline=pipeline_default()).order_by("position", "id"))
        serwis = pipelines.pipeline_create(actor=None, name="Serwis")
        s20 = pipelines.stage_create(actor=None, pipeline=serwis, name="Zgłoszenie", probability=20)
        s80 = pipelines.stage_create(actor=None, pipeline=serwis, name="Naprawa", probability=80)

        def make(name, value, stage, close, currency="PLN"):
            return services.deal_create(
                actor=szef,
                name=name,
                customer=customer_make(),
                value=D(value),
                currency=currency,
                stage=stage,
                expected_close=close,
            )

        make("H1", "1000", hurt[2], date(2027, 1, 10))  # 50 % -> 500
        make("H2", "2000", hurt[4], date(2027, 1, 31))  # 90 % -> 1800
        make("H3", "400", hurt[0], date(2027, 3, 1), "EUR")  # 10 % -> 40 EUR
        make("S1", "500", s20, date(2027, 1, 5))  # 20 % -> 100
        make("S2", "1000", s80, date(2027, 2, 2))  # 80 % -> 800
        make("H4", "999", hurt[1], None)  # no date: apart
        won = make("H5", "7777", hurt[4], date(2027, 1, 3))  # closed: not forecast
        services.deal_close(deal=won, status=status("won"), actor=szef, win_reason=win_reason())
        return serwis


def test_forecast_sums_value_times_probability_per_month_and_currency_over_every_pipeline(api_szef, szef, company_a):
    known_forecast(company_a, szef)

    response = api_szef.get("/api/v1/reports/deals-forecast/")

    assert response.status_code == 200
    body = response.json()
    months = [
        (r["id"], r["currency"], r["count"], r["value"], r["weighted"]) for r in body["rows"] if r["section"] == "month"
    ]
    assert months == [
        ("2027-01", "PLN", 3, 3500, 2400),
        ("2027-02", "PLN", 1, 1000, 800),
        ("2027-03", "EUR", 1, 400, 40),
    ]
    summary = {(r["id"], r["currency"]): r["weighted"] for r in body["rows"] if r["section"] == "summary"}
    assert summary[("forecast", "PLN")] == 3200
    assert summary[("undated", "PLN")] == 249.75
    assert "weighted" in body["columns"]


def test_forecast_and_open_sales_filter_by_pipeline(api_szef, szef, company_a):
    serwis = known_forecast(company_a, szef)

    forecast = api_szef.get(f"/api/v1/reports/deals-forecast/?pipeline={serwis.pk}").json()
    funnel = api_szef.get(f"/api/v1/reports/open-sales/?pipeline={serwis.pk}").json()
    bad = api_szef.get("/api/v1/reports/deals-forecast/?pipeline=999999")

    months = [(r["id"], r["weighted"]) for r in forecast["rows"] if r["section"] == "month"]
    assert months == [("2027-01", 100), ("2027-02", 800)]
    assert forecast["filters"]["pipeline"] == serwis.pk
    assert [r["label"] for r in funnel["rows"] if r["section"] == "stage"] == ["Zgłoszenie", "Naprawa"]
    assert bad.status_code == 400


def test_reports_page_shows_the_forecast_chart_and_table(client_a, szef, company_a):
    known_forecast(company_a, szef)
    client_a.login_as(szef)

    page = client_a.get("/reports/?date_from=2027-01-01&date_to=2027-02-28").content.decode()

    assert 'data-testid="report-deals-forecast"' in page
    assert 'data-testid="weighted-2027-01-PLN">2\xa0400 PLN<' in page
    assert "chart-columns" in page


def test_forecast_of_a_restricted_pracownik_counts_only_his_deals(api_restricted_pracownik, szef, company_a):
    known_forecast(company_a, szef)

    body = api_restricted_pracownik.get("/api/v1/reports/deals-forecast/").json()

    assert [r for r in body["rows"] if r["section"] == "month"] == []
