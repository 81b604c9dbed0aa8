"""Cleaning committed rows after tests that cannot run inside a rolled-back transaction
(real Celery workers, concurrent signups, browser tests against a server process)."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, transaction

from tenants.db import connection
from tenants.models import Company, CompanyStatus, Domain
from tests.support.companies import BASE_SUBDOMAINS, BASE_USERS

KEEP_TABLES = {"django_migrations", "django_content_type", "auth_permission", "accounts_user"}


def committed_rows_clean() -> None:
    connection.set_schema_to_public()
    keep = set(BASE_SUBDOMAINS)
    for company in Company.objects.exclude(schema_name="public").exclude(status=CompanyStatus.POOL):
        if company.subdomain not in keep:
            Domain.objects.filter(tenant=company).delete()
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{company.schema_name}" CASCADE')
            company.delete()
    with connection.cursor() as cursor:
        for company in Company.objects.filter(subdomain__in=keep):
            _rows_clear(cursor, company.schema_name)
            emails = [email for email, _n, _r in BASE_USERS[company.subdomain]]
            cursor.execute(f'DELETE FROM "{company.schema_name}".accounts_user WHERE NOT (email = ANY(%s))', [emails])
    _defaults_restore(keep)


def _rows_clear(cursor: Any, schema: str) -> None:
    """Empty every table of `schema` but KEEP_TABLES, as `TRUNCATE ... CASCADE` of them all
    would, at a fraction of its cost: only the tables holding rows (one query finds them)
    and with DELETE, which, unlike TRUNCATE, creates no new files per table and index.
    Triggers and foreign-key checks are off while it runs (`session_replication_role`):
    every referencing row goes too, and the sums the triggers keep are emptied with the rest.
    Without the rights for that (not a superuser), TRUNCATE of the filled tables."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
    tables = [row[0] for row in cursor.fetchall() if row[0] not in KEEP_TABLES]
    if not tables:
        return
    probes = " UNION ALL ".join(f'SELECT %s WHERE EXISTS (SELECT 1 FROM "{schema}"."{t}")' for t in tables)
    cursor.execute(probes, tables)
    filled = [row[0] for row in cursor.fetchall()]
    if not filled:
        return
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
            for table in filled:
                cursor.execute(f'DELETE FROM "{schema}"."{table}"')
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    except DatabaseError:
        names = ", ".join(f'"{schema}"."{t}"' for t in filled)
        cursor.execute(f"TRUNCATE {names} CASCADE")


# Setup steps whose rows live in the public schema, which the cleaning does not truncate.
PUBLIC_SETUP_STEPS = frozenset({"billing_account"})


def _defaults_restore(subdomains: set[str]) -> None:
    """TRUNCATE took what signup makes in the company's schema too (the settings row, the
    default categories with the locked deal statuses, the expense categories): run the
    setup steps again, as signup did, so later tests see a normal company."""
    from crm.accounts.models import User
    from tenants.setup import company_setup_run

    for company in Company.objects.filter(subdomain__in=subdomains):
        connection.set_tenant(company)
        try:
            company_setup_run(company=company, owner=User.objects.szefs().first(), skip=PUBLIC_SETUP_STEPS)
        finally:
            connection.set_schema_to_public()
