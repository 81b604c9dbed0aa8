"""Every company starts with five contract types: in Polish, or in English for an English
signup; companies that existed before contracts get them from the migration in their
Szef's language, and the tests' cleaning gives them back like signup did."""

from __future__ import annotations

import importlib

from django.apps import apps
from django_tenants.utils import schema_context

from crm.contracts.defaults import DEFAULT_TYPES, contract_types_defaults_create
from crm.contracts.models import ContractType
from tests.support.cleanup import committed_rows_clean

POLISH = [
    "Umowa o świadczenie usług",
    "Umowa serwisowa",
    "Umowa licencyjna",
    "Umowa ramowa",
    "Umowa o zachowaniu poufności (NDA)",
]


def _names(in_a) -> list[str]:
    with in_a():
        return list(ContractType.objects.order_by("position", "id").values_list("name", flat=True))


def test_a_new_company_starts_with_the_polish_types_in_order(in_a):
    assert _names(in_a) == POLISH


def test_an_english_signup_gets_english_names_and_a_company_with_types_gets_no_more(in_a):
    with in_a():
        ContractType.objects.all().delete()
        assert contract_types_defaults_create(language="en") == len(DEFAULT_TYPES)
        assert contract_types_defaults_create(language="pl") == 0
    names = _names(in_a)
    assert names[0] == "Service agreement" and names[-1] == "Non-disclosure agreement (NDA)"


def test_companies_that_existed_before_contracts_get_the_types_in_their_szefs_language(in_a, szef):
    migration = importlib.import_module("crm.contracts.migrations.0001_initial")
    with in_a():
        ContractType.objects.all().delete()
        migration.types_create(apps, None)
        polish = list(ContractType.objects.order_by("position").values_list("name", flat=True))
        ContractType.objects.all().delete()
        type(szef).objects.filter(pk=szef.pk).update(language="en")
        migration.types_create(apps, None)
        english = list(ContractType.objects.order_by("position").values_list("name", flat=True))

    assert polish == POLISH
    assert english[1] == "Maintenance agreement" and len(english) == len(POLISH)


def test_cleaning_committed_rows_gives_the_company_its_types_back(committed):
    with schema_context(committed.a.schema_name):
        ContractType.objects.filter(position__gt=1).delete()
    committed_rows_clean()
    with schema_context(committed.a.schema_name):
        assert list(ContractType.objects.order_by("position").values_list("name", flat=True)) == POLISH
