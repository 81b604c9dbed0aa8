"""Foreign-currency invoices: the NBP mid rate of the last working day before the sale date,
fetched through the provider (here the local fake NBP API), or typed in."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from crm.invoicing.rates import ExchangeRateUnavailable, NbpProvider
from tests.crm.invoicing.factories import draft_make, line


def test_the_rate_is_the_last_one_published_before_the_sale_date(fake_nbp):
    # Sale on Monday 16 March 2026: the last table before it is Friday's.
    fake_nbp.rate("EUR", date(2026, 3, 12), "4.2801", "050/A/NBP/2026").rate(
        "EUR", date(2026, 3, 13), "4.2879", "051/A/NBP/2026"
    )
    fake_nbp.rate("EUR", date(2026, 3, 16), "4.3000", "052/A/NBP/2026")

    found = NbpProvider().rate_before(currency="EUR", day=date(2026, 3, 16))

    assert (found.rate, found.day, found.table) == (Decimal("4.2879"), date(2026, 3, 13), "051/A/NBP/2026")
    assert "/A/EUR/2026-03-01/2026-03-15/" in fake_nbp.requests[0]


def test_a_currency_of_table_b_is_found_there(fake_nbp):
    fake_nbp.rate("UAH", date(2026, 3, 11), "0.0958", "010/B/NBP/2026", table="B")

    assert NbpProvider().rate_before(currency="UAH", day=date(2026, 3, 16)).rate == Decimal("0.0958")


def test_no_rate_or_no_answer_is_a_clear_error(fake_nbp):
    with pytest.raises(ExchangeRateUnavailable, match="Wpisz kurs ręcznie"):
        NbpProvider().rate_before(currency="EUR", day=date(2026, 3, 16))
    fake_nbp.fail_next()
    with pytest.raises(ExchangeRateUnavailable, match="Nie udało się pobrać kursu z NBP"):
        NbpProvider().rate_before(currency="EUR", day=date(2026, 3, 16))


def test_a_draft_in_euro_gets_the_nbp_rate_and_its_table(fake_nbp, in_a):
    fake_nbp.rate("EUR", date(2026, 3, 13), "4.2879", "051/A/NBP/2026")
    with in_a():
        invoice = draft_make(currency="EUR", sale_date=date(2026, 3, 16), issue_date=date(2026, 3, 16))

    assert invoice.exchange_rate == Decimal("4.2879")
    assert invoice.exchange_rate_table == "051/A/NBP/2026"
    assert invoice.exchange_rate_date == date(2026, 3, 13)


def test_a_typed_rate_is_kept_and_no_rate_is_asked_for(fake_nbp, in_a):
    with in_a():
        invoice = draft_make(currency="EUR", exchange_rate=Decimal("4.30"))

    assert invoice.exchange_rate == Decimal("4.30") and invoice.exchange_rate_table == ""
    assert fake_nbp.requests == []


def test_issuing_without_any_rate_is_refused_with_a_message(fake_nbp, api_szef, in_a):
    with in_a():
        invoice = draft_make(currency="EUR", lines=[line()])
    assert invoice.exchange_rate is None  # NBP had nothing: the draft is kept without it

    response = api_szef.post(f"/api/v1/invoices/{invoice.pk}/issue/")

    assert response.status_code == 400 and "exchange_rate" in response.json()


def test_split_payment_threshold_counts_in_pln(in_a):
    with in_a():
        over = draft_make(
            currency="EUR", exchange_rate=Decimal("4.30"), lines=[line("Serwer", "3000.00", annex15=True)]
        )
        under = draft_make(
            currency="EUR", exchange_rate=Decimal("4.30"), lines=[line("Serwer", "2000.00", annex15=True)]
        )

    assert over.split_payment  # 3 690 EUR ≈ 15 867 PLN
    assert not under.split_payment  # 2 460 EUR ≈ 10 578 PLN
