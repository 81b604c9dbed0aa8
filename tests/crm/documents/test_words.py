"""Amounts in words ("słownie") read the way Polish invoices print them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm.documents.words import amount_in_words, english_number, polish_number


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "zero złotych 00/100"),
        ("0.05", "zero złotych 05/100"),
        ("1", "jeden złoty 00/100"),
        ("2", "dwa złote 00/100"),
        ("5", "pięć złotych 00/100"),
        ("12", "dwanaście złotych 00/100"),
        ("14", "czternaście złotych 00/100"),
        ("21", "dwadzieścia jeden złotych 00/100"),
        ("22", "dwadzieścia dwa złote 00/100"),
        ("104", "sto cztery złote 00/100"),
        ("112", "sto dwanaście złotych 00/100"),
        ("1000", "jeden tysiąc złotych 00/100"),
        ("1001", "jeden tysiąc jeden złotych 00/100"),
        ("2000", "dwa tysiące złotych 00/100"),
        ("5000", "pięć tysięcy złotych 00/100"),
        ("12000", "dwanaście tysięcy złotych 00/100"),
        ("22000", "dwadzieścia dwa tysiące złotych 00/100"),
        ("1234.56", "jeden tysiąc dwieście trzydzieści cztery złote 56/100"),
        ("1000000", "jeden milion złotych 00/100"),
        ("1000000.01", "jeden milion złotych 01/100"),
        ("3000000", "trzy miliony złotych 00/100"),
        ("5000000", "pięć milionów złotych 00/100"),
        ("2001000", "dwa miliony jeden tysiąc złotych 00/100"),
        ("1000000000", "jeden miliard złotych 00/100"),
        ("999.999", "jeden tysiąc złotych 00/100"),
        ("-150.50", "minus sto pięćdziesiąt złotych 50/100"),
    ],
)
def test_polish_invoices_write_zloty_amounts_with_the_right_plural(amount, words):
    assert amount_in_words(Decimal(amount), "PLN") == words


@pytest.mark.parametrize(
    ("amount", "currency", "words"),
    [
        ("1", "EUR", "jeden euro 00/100"),
        ("22.10", "EUR", "dwadzieścia dwa euro 10/100"),
        ("1", "USD", "jeden dolar amerykański 00/100"),
        ("3", "USD", "trzy dolary amerykańskie 00/100"),
        ("25", "USD", "dwadzieścia pięć dolarów amerykańskich 00/100"),
        ("1", "CZK", "jedna korona czeska 00/100"),
        ("22", "CZK", "dwadzieścia dwie korony czeskie 00/100"),
        ("21", "CZK", "dwadzieścia jeden koron czeskich 00/100"),
        ("7", "jpy", "siedem JPY 00/100"),
    ],
)
def test_other_currencies_take_their_polish_names_or_their_code(amount, currency, words):
    assert amount_in_words(Decimal(amount), currency) == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "zero PLN 00/100"),
        ("1", "one PLN 00/100"),
        ("12", "twelve PLN 00/100"),
        ("21", "twenty-one PLN 00/100"),
        ("1000000", "one million PLN 00/100"),
        ("1234.56", "one thousand two hundred thirty-four PLN 56/100"),
    ],
)
def test_english_writes_the_amount_with_the_currency_code(amount, words):
    assert amount_in_words(Decimal(amount), "PLN", "en") == words


_PL_VALUES = {
    w: v
    for v, w in enumerate(
        [
            "zero",
            "jeden",
            "dwa",
            "trzy",
            "cztery",
            "pięć",
            "sześć",
            "siedem",
            "osiem",
            "dziewięć",
            "dziesięć",
            "jedenaście",
            "dwanaście",
            "trzynaście",
            "czternaście",
            "piętnaście",
            "szesnaście",
            "siedemnaście",
            "osiemnaście",
            "dziewiętnaście",
        ]
    )
}
_PL_VALUES |= {
    w: 10 * (i + 2)
    for i, w in enumerate(
        [
            "dwadzieścia",
            "trzydzieści",
            "czterdzieści",
            "pięćdziesiąt",
            "sześćdziesiąt",
            "siedemdziesiąt",
            "osiemdziesiąt",
            "dziewięćdziesiąt",
        ]
    )
}
_PL_VALUES |= {
    w: 100 * (i + 1)
    for i, w in enumerate(
        ["sto", "dwieście", "trzysta", "czterysta", "pięćset", "sześćset", "siedemset", "osiemset", "dziewięćset"]
    )
}
_PL_SCALES = {
    **dict.fromkeys(("tysiąc", "tysiące", "tysięcy"), 10**3),
    **dict.fromkeys(("milion", "miliony", "milionów"), 10**6),
    **dict.fromkeys(("miliard", "miliardy", "miliardów"), 10**9),
}


def _read_polish(words: str) -> int:
    total = group = 0
    for word in words.split():
        if word in _PL_SCALES:
            total += group * _PL_SCALES[word]
            group = 0
        else:
            group += _PL_VALUES[word]
    return total + group


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_polish_words_read_back_as_the_same_number(n):
    assert _read_polish(polish_number(n)) == n


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_the_hundredths_and_the_zloty_form_follow_the_amount(amount):
    words = amount_in_words(amount, "PLN")
    whole = int(amount)
    assert words.endswith(f" {int(amount * 100) % 100:02d}/100")
    last_two = whole % 100
    if whole == 1:
        assert " złoty " in words
    elif 2 <= last_two % 10 <= 4 and not 12 <= last_two <= 14:
        assert " złote " in words
    else:
        assert " złotych " in words


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_english_words_use_no_and_and_no_commas(n):
    words = english_number(n)
    assert "," not in words
    assert " and " not in words
    assert words == words.strip()
    assert "  " not in words
