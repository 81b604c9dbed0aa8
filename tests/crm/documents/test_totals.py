"""Document totals as Polish VAT law and KSeF want them: VAT per rate on the rate's net sum."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm.documents.totals import RATE_ORDER, LineIn, document_totals, line_net, money

D = Decimal


def test_vat_is_computed_once_per_rate_not_per_line() -> None:
    # Three lines of 0.33 at 23%: per line VAT would be 3 × 0.08 = 0.24; per rate it is 0.99 × 23% = 0.23.
    lines = [LineIn(quantity=D(1), net_price=D("0.33"), vat_rate="23") for _ in range(3)]
    totals = document_totals(lines)
    assert totals.net == D("0.99")
    assert totals.vat == D("0.23")
    assert totals.gross == D("1.22")


def test_rates_are_listed_in_ksef_order_and_untaxed_rates_carry_no_vat() -> None:
    lines = [
        LineIn(quantity=D(2), net_price=D("100.00"), vat_rate="zw"),
        LineIn(quantity=D(1), net_price=D("50.00"), vat_rate="8"),
        LineIn(quantity=D(1), net_price=D("10.00"), vat_rate="23"),
        LineIn(quantity=D(1), net_price=D("7.00"), vat_rate="oo"),
    ]
    totals = document_totals(lines)
    assert [r.vat_rate for r in totals.by_rate] == ["23", "8", "zw", "oo"]
    assert totals.rate("zw").vat == D("0.00")  # type: ignore[union-attr]
    assert totals.rate("oo").vat == D("0.00")  # type: ignore[union-attr]
    assert totals.rate("8").vat == D("4.00")  # type: ignore[union-attr]
    assert totals.gross == D("273.30")  # 267.00 net + 2.30 + 4.00 VAT


def test_discount_is_taken_off_the_line_net_value() -> None:
    line = LineIn(quantity=D(3), net_price=D("19.99"), vat_rate="23", discount_percent=D(10))
    assert line_net(line) == D("53.97")  # 59.97 less 10% = 53.973


def test_an_unknown_rate_is_refused() -> None:
    with pytest.raises(ValueError):
        line_net(LineIn(quantity=D(1), net_price=D(1), vat_rate="22"))


lines_strategy = st.lists(
    st.builds(
        LineIn,
        quantity=st.decimals(min_value=D("0.001"), max_value=D(10000), places=3),
        net_price=st.decimals(min_value=D(0), max_value=D(100000), places=2),
        vat_rate=st.sampled_from(RATE_ORDER),
        discount_percent=st.decimals(min_value=D(0), max_value=D(100), places=2),
    ),
    min_size=1,
    max_size=20,
)


@given(lines_strategy)
def test_gross_is_net_plus_vat_per_rate_and_in_total(lines: list[LineIn]) -> None:
    totals = document_totals(lines)
    for r in totals.by_rate:
        assert r.gross == r.net + r.vat
        assert r.net == money(sum((line_net(x) for x in lines if x.vat_rate == r.vat_rate), D(0)))
    assert totals.gross == totals.net + totals.vat
    assert totals.net == sum((r.net for r in totals.by_rate), D(0))
    assert {r.vat_rate for r in totals.by_rate} == {x.vat_rate for x in lines}


@given(lines_strategy)
def test_vat_of_a_rate_is_its_percentage_of_the_net_within_half_a_grosz(lines: list[LineIn]) -> None:
    totals = document_totals(lines)
    percent = {"23": 23, "8": 8, "5": 5, "0": 0, "zw": 0, "np": 0, "oo": 0}
    for r in totals.by_rate:
        exact = r.net * percent[r.vat_rate] / D(100)
        assert abs(r.vat - exact) <= D("0.005")
