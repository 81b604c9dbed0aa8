"""Reads across companies that only the service itself may make."""

from __future__ import annotations

import re

from tenants.db import connection
from tenants.models import Company, CompanyStatus


def company_active() -> Company | None:
    """The company whose schema is active on this connection (None in the public schema).

    In a request that is the company of the host; under `schema_context()` django-tenants
    sets a stand-in tenant without the company's fields, so the row is read then."""
    schema = connection.schema_name
    if not schema or schema == "public":
        return None
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Company) and tenant.schema_name == schema:
        return tenant
    return Company.objects.filter(schema_name=schema).first()


_SCHEMA_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def companies_for_email(*, email: str) -> list[Company]:
    """Companies where `email` belongs to an active staff user, by name.

    Staff users live in each company's own schema, so this asks every schema that
    has a user table, one short statement per schema, with the e-mail as a bound
    parameter. Pooled and cancelled companies are left out, and
    so are companies whose owner has not confirmed their address yet: whoever typed
    a stranger's address at signup must not make the company show up in that
    stranger's reminder (tenants/owner_email.py).
    """
    email = (email or "").strip().lower()
    if not email:
        return []
    connection.set_schema_to_public()
    companies = {
        c.schema_name: c
        for c in Company.objects.real()
        .exclude(status=CompanyStatus.CANCELLED)
        .exclude(subdomain__isnull=True)
        .exclude(owner_email_confirmed_at__isnull=True)
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname FROM pg_tables WHERE tablename = 'accounts_user' AND schemaname = ANY(%s)",
            [list(companies)],
        )
        schemas = sorted(row[0] for row in cursor.fetchall() if _SCHEMA_RE.match(row[0]))
        found: set[str] = set()
        for schema in schemas:
            # One statement per company schema (never a join or union over several: Citus
            # places each schema on its own node). The name comes from a Company row and
            # matches _SCHEMA_RE; the e-mail is a parameter.
            cursor.execute(
                f'SELECT 1 FROM "{schema}".accounts_user WHERE lower(email) = %s AND is_active LIMIT 1',  # noqa: S608
                [email],
            )
            if cursor.fetchone():
                found.add(schema)
    return sorted((companies[s] for s in found), key=lambda c: (c.name.lower(), c.subdomain or ""))
