"""Every company form with hostile input as Szef, part 1 of 3 (see test_fuzz_forms.py)."""

from __future__ import annotations

from tests.security.test_fuzz_forms import company_forms_fuzz


def test_company_forms_survive_random_input_as_szef_part_1(client_a, company_a, szef):
    company_forms_fuzz(client_a, company_a, szef, shard=0)
