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


def _defaults_restore(subdomains: set[str]) -> None:
    """TRUNCATE took the default categories too (locked deal statuses among them):
    put them back, as signup made them, so later tests see a normal company."""
    from crm.categories.defaults import categories_defaults_create

    for company in Company.objects.filter(subdomain__in=subdomains):
        connection.set_tenant(company)
        try:
            categories_defaults_create()
        finally:
            connection.set_schema_to_public()
