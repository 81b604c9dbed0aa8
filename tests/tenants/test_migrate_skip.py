"""migrate_schemas asks each company schema for its django_migrations first and skips the ones
already at the target (tenants/migration_executor.py)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tenants.migration_executor import executor_get, schemas_behind


@pytest.mark.django_db
def test_a_migrated_company_schema_is_not_behind_and_one_missing_a_migration_is(company_a, company_b):
    assert schemas_behind([company_a.schema_name, company_b.schema_name]) == []
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{company_b.schema_name}".django_migrations WHERE app = %s AND name = %s',
            ["sales", "0004_deal_owners_and_polish_order"],
        )
    assert schemas_behind([company_a.schema_name, company_b.schema_name]) == [company_b.schema_name]


@pytest.mark.django_db
def test_a_schema_without_migrations_table_is_behind(company_a):
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "skip_test_empty"')
    assert schemas_behind(["skip_test_empty", company_a.schema_name]) == ["skip_test_empty"]


def test_migrate_schemas_uses_the_skipping_executor():
    from django.conf import settings

    assert settings.GET_EXECUTOR_FUNCTION == "tenants.migration_executor.executor_get"
    assert executor_get("standard").__name__ == "SkippingStandardExecutor"


@pytest.mark.django_db
def test_a_noop_migrate_schemas_over_companies_says_it_skipped_them(company_a, company_b, capsys):
    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=1, stdout=StringIO())
    assert "company schemas already at the target" in capsys.readouterr().out
