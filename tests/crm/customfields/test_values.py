"""Every type of custom field checks its values the same way for forms, API and import:
a good value is stored in one form, a bad one is refused with a message."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from crm.customfields.definitions import FieldDef
from crm.customfields.values import custom_value_clean, custom_value_display, custom_values_clean


def _field(type: str, key: str = "pole", options: tuple[str, ...] = (), required: bool = False) -> FieldDef:
    return FieldDef(
        id=1,
        model="customer",
        name="Pole",
        key=key,
        type=type,
        options=options,
        required=required,
        position=1,
        show_in_list=False,
    )


@pytest.mark.parametrize(
    ("type", "raw", "stored"),
    [
        ("text", "  Handel   hurtowy ", "Handel hurtowy"),
        ("long_text", "linia 1\nlinia 2", "linia 1\nlinia 2"),
        ("number", "1 200", 1200),
        ("number", 42, 42),
        ("number", -3.0, -3),
        ("decimal", "12,50", "12.5"),
        ("decimal", 100, "100"),
        ("date", "2026-03-01", "2026-03-01"),
        ("date", "01.03.2026", "2026-03-01"),
        ("date", date(2026, 3, 1), "2026-03-01"),
        ("checkbox", True, True),
        ("checkbox", "tak", True),
        ("checkbox", "false", False),
        ("url", "firma.pl", "https://firma.pl"),
        ("url", "http://firma.pl/o-nas", "http://firma.pl/o-nas"),
        ("email", " Biuro@Firma.PL ", "biuro@firma.pl"),
    ],
)
def test_a_good_value_is_stored_in_the_types_form(type, raw, stored):
    assert custom_value_clean(_field(type), raw) == stored


@pytest.mark.parametrize(
    ("type", "raw"),
    [
        ("text", {"a": 1}),
        ("text", "x" * 256),
        ("long_text", "x" * 5001),
        ("number", "12.5"),
        ("number", "dwanaście"),
        ("number", True),
        ("number", 10**16),
        ("decimal", "1,2,3"),
        ("decimal", "NaN"),
        ("decimal", "Infinity"),
        ("date", "2026-02-30"),
        ("date", "jutro"),
        ("date", "1800-01-01"),
        ("checkbox", "może"),
        ("checkbox", [True]),
        ("url", "javascript:alert(1)"),
        ("url", "nie adres"),
        ("email", "biuro@"),
    ],
)
def test_a_bad_value_is_refused_with_a_message(type, raw):
    with pytest.raises(ValidationError) as exc:
        custom_value_clean(_field(type), raw)
    assert exc.value.messages and all(exc.value.messages)


def test_select_takes_one_of_its_options_whatever_the_letter_case():
    field = _field("select", options=("IT", "Handel", "Produkcja"))
    assert custom_value_clean(field, "handel") == "Handel"
    with pytest.raises(ValidationError, match="nie jest jedną z opcji"):
        custom_value_clean(field, "Rolnictwo")


def test_multi_select_takes_a_list_or_commas_and_keeps_the_options_order():
    field = _field("multi_select", options=("IT", "Handel", "Produkcja"))
    assert custom_value_clean(field, ["Produkcja", "it", "IT"]) == ["IT", "Produkcja"]
    assert custom_value_clean(field, "Handel, Produkcja") == ["Handel", "Produkcja"]
    assert custom_value_clean(field, []) is None
    with pytest.raises(ValidationError):
        custom_value_clean(field, ["IT", "Rolnictwo"])
    with pytest.raises(ValidationError):
        custom_value_clean(field, {"IT": True})


def test_an_empty_value_clears_the_key_and_other_values_stay():
    fields = [_field("text", key="branza"), _field("number", key="pracownicy")]
    current = {"branza": "IT", "pracownicy": 12}
    assert custom_values_clean(fields=fields, data={"branza": ""}, current=current) == {"pracownicy": 12}
    assert custom_values_clean(fields=fields, data={"branza": None}, current=current) == {"pracownicy": 12}


def test_unknown_keys_are_refused_naming_the_key():
    with pytest.raises(ValidationError) as exc:
        custom_values_clean(fields=[_field("text", key="branza")], data={"branza": "IT", "kolor": "zielony"})
    assert list(exc.value.message_dict) == ["kolor"]
    assert "kolor" in exc.value.message_dict["kolor"][0]


def test_a_required_field_left_empty_is_refused():
    fields = [_field("text", key="branza", required=True)]
    with pytest.raises(ValidationError) as exc:
        custom_values_clean(fields=fields, data={})
    assert "wymagane" in exc.value.message_dict["branza"][0]
    assert custom_values_clean(fields=fields, data={}, current={"branza": "IT"}) == {"branza": "IT"}


def test_values_are_shown_as_a_person_reads_them():
    assert custom_value_display(_field("checkbox"), True) == "tak"
    assert custom_value_display(_field("multi_select", options=("A", "B")), ["A", "B"]) == "A, B"
    assert custom_value_display(_field("decimal"), "1234.5") == "1234,5"
    assert custom_value_display(_field("text"), None) == ""
