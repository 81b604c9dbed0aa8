from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from crm.accounts.models import Role, User
from crm.backups.archive import FORMAT, MANIFEST, VERSION
from tenants.db import connection
from tenants.models import Company
from tests.crm.backups.helpers import FILE_BYTES, full_company, media_content, schema_content


def _backup(company: Company, out: Path) -> None:
    call_command("company_backup", "--company", company.subdomain, "--out", str(out))


def _companies() -> set[str]:
    connection.set_schema_to_public()
    return set(Company.objects.values_list("subdomain", flat=True))


def test_restore_makes_a_new_company_identical_to_the_backed_up_one(committed: Any, tmp_path: Path) -> None:
    source = full_company()
    out = tmp_path / "kopia.zip"
    _backup(source, out)

    call_command(
        "company_restore",
        str(out),
        "--subdomain",
        "kopia",
        "--email",
        "nowy@kopia.test",
        "--password",
        "Nowe-haslo-456",
    )

    target = Company.objects.get(subdomain="kopia")
    assert target.name == source.name
    before, after = schema_content(source.schema_name), schema_content(target.schema_name)
    users_before, users_after = before.pop("accounts_user"), after.pop("accounts_user")
    assert set(before) == set(after)
    for table in before:
        assert after[table] == before[table], table
    assert sum(len(rows) for rows in before.values()) > 200
    for table in (
        "contacts_customer",
        "sales_deal",
        "tasks_task",
        "invoicing_invoice",
        "notes_attachment",
        "categories_dealstatus",
    ):
        assert before[table], f"the demo company has no rows in {table}"
    # Every archived user came back (without his password); the new Szef was added.
    assert set(users_before) <= set(users_after)
    assert media_content(target.schema_name) == media_content(source.schema_name)
    assert FILE_BYTES in media_content(target.schema_name).values()
    connection.set_tenant(target)
    szef = User.objects.get(email="nowy@kopia.test")
    assert szef.role == Role.SZEF and szef.check_password("Nowe-haslo-456")
    assert not User.objects.get(email="pracownik@zrodlo.test").has_usable_password()
    # Sequences continue after the restored ids.
    from crm.contacts.models import Customer

    assert Customer.objects.create(name="Nowy klient").pk > max(
        json.loads(r)["id"] for r in before["contacts_customer"]
    )


def test_archive_is_documented_zip_without_secrets(committed: Any, tmp_path: Path) -> None:
    source = full_company()
    out = tmp_path / "kopia.zip"
    _backup(source, out)
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        users = archive.read("tables/accounts_user.jsonl").decode()
        names = set(archive.namelist())
    assert manifest["format"] == FORMAT and manifest["version"] == VERSION
    assert manifest["source"]["subdomain"] == "zrodlo"
    assert manifest["members"]["tables/contacts_customer.jsonl"]["model"] == "contacts.Customer"
    assert "password" not in users and "szef@zrodlo.test" in users
    assert "tables/django_session.jsonl" not in names and "tables/accounts_apitoken.jsonl" not in names
    assert any(name.startswith("files/attachments/") for name in names)


def _rewrite(source: Path, target: Path, change: Any) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info.filename))
            if data is not None:
                new.writestr(info.filename, data)


def _damaged_member(name: str, data: bytes) -> bytes:
    if name == "tables/contacts_customer.jsonl":
        return data.replace(b'"name":"', b'"name":"X', 1)
    return data


def _foreign_version(name: str, data: bytes) -> bytes:
    if name == MANIFEST:
        manifest = json.loads(data)
        manifest["version"] = 99
        return json.dumps(manifest).encode()
    return data


def _missing_row(name: str, data: bytes) -> bytes:
    if name == "tables/contacts_customer.jsonl":
        return b"\n".join(data.split(b"\n")[1:])
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_damaged_member, "sumą kontrolną"),
        (_foreign_version, "wersję formatu 99"),
        (_missing_row, "sumą kontrolną"),
        (lambda name, data: None if name == MANIFEST else data, "manifest.json"),
    ],
)
def test_damaged_or_foreign_archive_is_refused_and_nothing_is_created(
    committed: Any, tmp_path: Path, change: Any, message: str
) -> None:
    source = full_company()
    good, bad = tmp_path / "kopia.zip", tmp_path / "zla.zip"
    _backup(source, good)
    _rewrite(good, bad, change)
    before = _companies()

    with pytest.raises(CommandError, match=message):
        call_command(
            "company_restore",
            str(bad),
            "--subdomain",
            "kopia",
            "--email",
            "n@kopia.test",
            "--password",
            "Nowe-haslo-456",
        )

    assert _companies() == before


def test_a_file_that_is_not_a_zip_is_refused(committed: Any, tmp_path: Path) -> None:
    bad = tmp_path / "nie.zip"
    bad.write_bytes(b"hello")
    before = _companies()
    with pytest.raises(CommandError, match="ZIP"):
        call_command(
            "company_restore",
            str(bad),
            "--subdomain",
            "kopia",
            "--email",
            "n@kopia.test",
            "--password",
            "Nowe-haslo-456",
        )
    assert _companies() == before


def test_backup_of_an_unknown_company_is_a_clear_error(committed: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No company"):
        call_command("company_backup", "--company", "nie-ma", "--out", str(tmp_path / "x.zip"))
