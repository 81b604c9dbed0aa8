from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from crm.contacts.validators import nip_checksum_ok, nip_normalise


@pytest.mark.parametrize("raw", ["5260001246", "526-000-12-46", "PL 526 000 12 46", "pl5260001246"])
def test_valid_nip_in_any_common_notation_is_stored_as_ten_digits(raw):
    assert nip_normalise(raw) == "5260001246"


def test_nip_with_a_wrong_check_digit_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as err:
        nip_normalise("5260001247")
    assert "sumę kontrolną" in err.value.messages[0]


def test_nip_of_wrong_length_is_refused():
    with pytest.raises(ValidationError) as err:
        nip_normalise("52600012")
    assert "10 cyfr" in err.value.messages[0]


def test_foreign_vat_id_with_country_code_is_accepted():
    assert nip_normalise("de 123456789") == "DE123456789"


def test_garbage_is_refused():
    with pytest.raises(ValidationError):
        nip_normalise("abc?!")


def test_empty_nip_is_allowed():
    assert nip_normalise("  ") == ""


def test_a_prefix_whose_checksum_is_ten_has_no_valid_nip():
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    prefix = next(
        f"{n:09d}"
        for n in range(123000000, 123001000)
        if sum(int(d) * w for d, w in zip(f"{n:09d}", weights, strict=True)) % 11 == 10
    )
    assert not any(nip_checksum_ok(prefix + str(last)) for last in range(10))


@pytest.mark.parametrize("nip", ["7000064191", "0123456789"])
def test_a_nip_without_a_tax_office_prefix_is_refused_though_its_check_digit_fits(nip):
    """KSeF's schema refuses such a seller or buyer NIP, so the card must too."""
    with pytest.raises(ValidationError) as refused:
        nip_normalise(nip)
    assert "urzędu skarbowego" in str(refused.value.messages[0])
