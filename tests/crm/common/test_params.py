"""The shared parsers of dates and numbers that come from outside (crm/common/params.py)
and the depth limit on JSON (crm/common/api.py)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from crm.common.api import JSONTooDeep, json_loads
from crm.common.params import DateField, DateTimeField, date_check, date_param, id_param, is_int_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-02-29", date(2024, 2, 29)),
        ("1900-01-01", date(1900, 1, 1)),
        ("2200-12-31", date(2200, 12, 31)),
        ("", None),
    ],
)
def test_a_date_parameter_within_1900_to_2200_is_read(raw, expected):
    assert date_param(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01", "2024-02-30", "20240101", "2024-W01-1", "٢٠٢٤-٠١-٠١"],
)
def test_any_other_date_parameter_is_refused_with_a_message(raw):
    with pytest.raises(ValidationError) as caught:
        date_param(raw)
    assert caught.value.messages[0].startswith("Podaj datę")


def test_the_date_range_message_is_in_the_users_language():
    with pytest.raises(ValidationError) as caught:
        date_param("9999-12-31")
    with translation.override("en"):
        assert caught.value.messages == ["Enter a date between the years 1900 and 2200."]


def test_a_date_and_time_at_the_edge_of_the_calendar_is_refused_by_the_validator():
    with pytest.raises(ValidationError):
        date_check(datetime(1, 1, 1, 0, 0))
    date_check(datetime(2200, 12, 31, 23, 59))


@pytest.mark.parametrize("field", [DateField(), DateTimeField()])
@pytest.mark.parametrize("raw", ["0001-01-01", "9999-12-31", "9999-12-31T23:59:59"])
def test_form_date_fields_refuse_the_edges_of_the_calendar(field, raw):
    with pytest.raises(ValidationError):
        field.clean(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("42", 42), (" 7 ", 7), ("", None), (None, None), (str(2**63 - 1), 2**63 - 1), (str(2**63), 0), ("9" * 5000, 0)],
)
def test_an_id_parameter_is_read_and_one_beyond_64_bits_matches_no_row(raw, expected):
    assert id_param(raw) == expected


@pytest.mark.parametrize("raw", ["²", "①", "-1", "1.5", "1e3", "abc"])
def test_an_id_parameter_of_anything_but_plain_digits_is_refused(raw):
    with pytest.raises(ValidationError):
        id_param(raw)


@pytest.mark.parametrize("raw", ["²", "①", "-1", "9" * 20, str(2**63), "9" * 5000, ""])
def test_only_plain_digits_within_64_bits_count_as_an_integer(raw):
    assert not is_int_text(raw)


def test_json_nested_deeper_than_the_limit_is_refused_without_recursion_error():
    assert json_loads("[" * 32 + "]" * 32) is not None
    for text in ("[" * 33 + "]" * 33, "[" * 100_000 + "]" * 100_000, '{"a":' * 5000 + "1" + "}" * 5000):
        with pytest.raises(JSONTooDeep):
            json_loads(text)


def test_json_loads_refuses_nan_unless_told_otherwise():
    with pytest.raises(ValueError):
        json_loads("[NaN]")
    assert json.dumps(json_loads("[1]", strict=False)) == "[1]"
