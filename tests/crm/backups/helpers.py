"""A company with every record type (the demo seed plus a file), and reading a schema's
rows by content, for the round-trip tests."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from crm.accounts.models import Role, User
from crm.backups.archive import EXCLUDED_COLUMNS, EXCLUDED_TABLES, KEPT_TABLES
from crm.backups.storage import local_root
from crm.contacts.models import Customer
from crm.demo.seed import demo_data_seed
from crm.notes.services import attachment_create
from tenants.db import connection
from tenants.models import Company
from tenants.services import tenant_provision

FILE_BYTES = b"%PDF-1.4 umowa \x00\x01\x02 " * 100


def full_company(subdomain: str = "zrodlo") -> Company:
    company = tenant_provision(
        name="Źródło Sp. z o.o.",
        subdomain=subdomain,
        email=f"szef@{subdomain}.test",
        password="Haslo-testowe-123",
        check_password=False,
    ).company
    connection.set_tenant(company)
    User.objects.create_user(f"pracownik@{subdomain}.test", "Haslo-testowe-123", name="Piotr", role=Role.PRACOWNIK)
    demo_data_seed(company=company)
    customer = Customer.objects.order_by("pk").first()
    szef = User.objects.get(email=f"szef@{subdomain}.test")
    attachment_create(
        target=customer, uploaded_by=szef, upload=SimpleUploadedFile("umowa.pdf", FILE_BYTES, "application/pdf")
    )
    connection.set_schema_to_public()
    return company


def schema_content(schema: str) -> dict[str, list[str]]:
    """Every archived table's rows (secret columns left out), sorted, as JSON text."""
    out: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
        tables = sorted(r[0] for r in cursor.fetchall() if r[0] not in KEPT_TABLES | EXCLUDED_TABLES)
        for table in tables:
            cursor.execute(f'SELECT row_to_json(t)::text FROM "{schema}"."{table}" t')
            rows = []
            for (text,) in cursor.fetchall():
                row: dict[str, Any] = json.loads(text)
                for column in EXCLUDED_COLUMNS.get(table, {}):
                    row.pop(column, None)
                rows.append(json.dumps(row, sort_keys=True))
            out[table] = sorted(rows)
    return out


def media_content(schema: str) -> dict[str, bytes]:
    root = local_root(schema)
    assert root is not None
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).parts[0] != "backups"
    }
