"""Net, VAT and gross from what is typed off a receipt (crm/expenses/amounts.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from crm.expenses.amounts import expense_amounts

D = Decimal


def test_the_vat_and_gross_follow_from_the_net_and_rate():
    amounts = expense_amounts(vat_rate="23", net=D("100"))
    assert (amounts.net, amounts.vat, amounts.gross) == (D("100.00"), D("23.00"), D("123.00"))


def test_the_net_follows_from_the_gross_rounded_half_up_to_grosze():
    amounts = expense_amounts(vat_rate="8", gross=D("200.00"))
    assert (amounts.net, amounts.vat, amounts.gross) == (D("185.19"), D("14.81"), D("200.00"))


def test_a_vat_amount_typed_off_the_receipt_is_kept():
    amounts = expense_amounts(vat_rate="23", net=D("100.00"), vat=D("22.99"))
    assert (amounts.vat, amounts.gross) == (D("22.99"), D("122.99"))


def test_net_and_gross_given_together_make_the_vat():
    amounts = expense_amounts(vat_rate="23", net=D("100.00"), gross=D("123.01"))
    assert amounts.vat == D("23.01")


@pytest.mark.parametrize("rate", ["0", "zw", "np", "oo"])
def test_rates_without_vat_carry_none(rate):
    amounts = expense_amounts(vat_rate=rate, gross=D("50.00"))
    assert (amounts.net, amounts.vat, amounts.gross) == (D("50.00"), D("0.00"), D("50.00"))
    with pytest.raises(ValidationError) as refused:
        expense_amounts(vat_rate=rate, net=D("50.00"), vat=D("1.00"))
    assert "kwota VAT wynosi 0" in refused.value.message_dict["vat_amount"][0]


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({}, "amount", "Podaj kwotę netto albo brutto."),
        ({"net": D("-1")}, "amount", "Kwota nie może być ujemna."),
        ({"net": D("100"), "gross": D("250")}, "vat_amount", "Kwota VAT nie może być większa niż kwota netto."),
        ({"net": D("100"), "vat": D("23"), "gross": D("124")}, "gross_amount", "Kwota brutto nie jest sumą"),
        ({"net": D("100"), "gross": D("90")}, "gross_amount", "nie może być mniejsza niż netto"),
        ({"gross": D("10"), "vat": D("11")}, "vat_amount", "większa niż kwota brutto"),
        ({"net": D("1000000000000")}, "amount", "Kwota jest za duża."),
    ],
)
def test_impossible_amounts_are_refused_in_polish_on_their_field(given, field, message):
    with pytest.raises(ValidationError) as refused:
        expense_amounts(vat_rate="23", **given)
    assert message in refused.value.message_dict[field][0]


def test_an_unknown_rate_is_refused():
    with pytest.raises(ValidationError) as refused:
        expense_amounts(vat_rate="19", net=D("1"))
    assert "vat_rate" in refused.value.message_dict


@given(
    net=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    rate=st.sampled_from(["23", "8", "5", "0", "zw", "np", "oo"]),
)
def test_gross_is_always_net_plus_vat_and_the_gross_gives_the_net_back(net, rate):
    amounts = expense_amounts(vat_rate=rate, net=net)
    assert amounts.gross == amounts.net + amounts.vat
    again = expense_amounts(vat_rate=rate, gross=amounts.gross)
    assert again.gross == amounts.gross and abs(again.net - amounts.net) <= D("0.01")
