"""Cleaning committed rows after tests that cannot run inside a rolled-back transaction
(real Celery workers, concurrent signups, browser tests against a server process)."""

from __future__ import annotations

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
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [company.schema_name])
            tables = [row[0] for row in cursor.fetchall() if row[0] not in KEEP_TABLES]
            if tables:
                names = ", ".join(f'"{company.schema_name}"."{t}"' for t in tables)
                cursor.execute(f"TRUNCATE {names} CASCADE")
            emails = [email for email, _n, _r in BASE_USERS[company.subdomain]]
            cursor.execute(f'DELETE FROM "{company.schema_name}".accounts_user WHERE NOT (email = ANY(%s))', [emails])
    _defaults_restore(keep)


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
