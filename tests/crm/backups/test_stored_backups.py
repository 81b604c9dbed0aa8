from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from crm.accounts.models import User
from crm.activity.models import ActivityEntry
from crm.backups.crypto import DecryptionError
from crm.backups.models import Backup, BackupFrequency, BackupKind, BackupSchedule, BackupStatus
from crm.backups.services import backup_request, backup_run, backups_retention_apply, scheduled_backup_due
from crm.backups.storage import BACKUPS_FOLDER, backup_plain_chunks, local_root
from crm.contacts.models import Customer
from tenants.models import Company
from tests.support.clients import TenantClient

API = "/api/v1/settings/backups/"


def _stored(schema: str, backup: Backup) -> Path:
    """Where the encrypted archive lies on the local disk (the default storage)."""
    root = local_root(schema)
    assert root is not None
    return root / BACKUPS_FOLDER / backup.file_name


def _made(company: Company, **fields: Any) -> Backup:
    """A finished backup of `company`, made as the worker makes it."""
    with schema_context(company.schema_name):
        backup = Backup.objects.create(**fields)
        return backup_run(backup=backup)


def test_szef_queues_a_backup_through_the_api(api_szef: TenantClient, company_a: Company) -> None:
    response = api_szef.post(API)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "status"} and body["status"] == "queued"
    detail = api_szef.get(f"{API}{body['id']}/").json()
    assert detail["status"] == "queued" and detail["download_url"] is None
    assert {"status", "size", "created_at", "download_url"} <= set(detail)


def test_finished_backup_shows_size_and_download_url(api_szef: TenantClient, company_a: Company) -> None:
    backup = _made(company_a)
    assert backup.status == BackupStatus.DONE, backup.error
    detail = api_szef.get(f"{API}{backup.pk}/").json()
    assert detail["status"] == "done" and detail["size"] > 0
    assert detail["download_url"].endswith(f"/settings/backups/{backup.pk}/download/")
    assert [item["id"] for item in api_szef.get(API).json()["results"]] == [backup.pk]


@pytest.mark.parametrize("who", ["api_kierownik", "api_pracownik"])
def test_only_szef_may_use_the_backups_api(who: str, request: pytest.FixtureRequest, company_a: Company) -> None:
    client = request.getfixturevalue(who)
    backup = _made(company_a)
    assert client.get(API).status_code == 403
    assert client.post(API).status_code == 403
    assert client.get(f"{API}{backup.pk}/").status_code == 403


def test_another_company_cannot_see_or_download_a_backup(
    api_outsider: TenantClient, client_b: TenantClient, outsider: User, company_a: Company
) -> None:
    backup = _made(company_a)
    assert api_outsider.get(f"{API}{backup.pk}/").status_code == 404
    assert api_outsider.get(API).json()["results"] == []
    client_b.login_as(outsider)
    assert client_b.get(f"/settings/backups/{backup.pk}/download/").status_code == 404
    assert client_b.get(f"/settings/backups/{backup.pk}/restore/").status_code == 404


def test_stored_archive_is_encrypted_and_the_download_decrypts_it(
    client_a: TenantClient, szef: User, company_a: Company, settings: Any
) -> None:
    backup = _made(company_a)
    with schema_context(company_a.schema_name):
        stored = _stored(company_a.schema_name, backup)
        assert stored.is_file()
    raw = stored.read_bytes()
    assert not zipfile.is_zipfile(stored) and b"szef@alfa.test" not in raw and b"manifest" not in raw

    response = client_a.login_as(szef).get(f"/settings/backups/{backup.pk}/download/")
    assert response.status_code == 200
    plain = b"".join(response.streaming_content)
    assert plain[:2] == b"PK", (response.headers, plain[:200])
    with zipfile.ZipFile(io.BytesIO(plain)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["source"]["subdomain"] == "alfa"
    with schema_context(company_a.schema_name):
        assert ActivityEntry.objects.filter(object_type="backups.backup", user__email="szef@alfa.test").exists()


def test_stored_archive_cannot_be_read_with_another_key(company_a: Company, settings: Any) -> None:
    backup = _made(company_a)
    settings.BACKUP_ENCRYPTION_KEY = "another-key"
    with schema_context(company_a.schema_name), pytest.raises(DecryptionError):
        b"".join(backup_plain_chunks(backup))


@pytest.mark.parametrize("who", ["kierownik", "pracownik"])
def test_only_szef_may_open_the_backups_page(
    who: str, request: pytest.FixtureRequest, client_a: TenantClient, company_a: Company
) -> None:
    backup = _made(company_a)
    client_a.login_as(request.getfixturevalue(who))
    for url in (
        "/settings/backups/",
        f"/settings/backups/{backup.pk}/download/",
        f"/settings/backups/{backup.pk}/restore/",
    ):
        assert client_a.get(url).status_code == 403, url
    assert client_a.post("/settings/backups/now/").status_code == 403


def test_szef_makes_a_backup_from_the_settings_page(
    client_a: TenantClient, szef: User, company_a: Company, django_capture_on_commit_callbacks: Any
) -> None:
    client_a.login_as(szef)
    page = client_a.get("/settings/")
    assert "/settings/backups/" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = client_a.post("/settings/backups/now/")
    assert response.status_code == 302
    page = client_a.get("/settings/backups/").content.decode()
    assert "Zrób kopię teraz" in page and 'hx-trigger="every 2s"' in page
    with schema_context(company_a.schema_name):
        assert Backup.objects.get().status == BackupStatus.QUEUED


def test_schedule_makes_one_backup_per_period(company_a: Company, django_capture_on_commit_callbacks: Any) -> None:
    now = timezone.now()
    with schema_context(company_a.schema_name), django_capture_on_commit_callbacks(execute=False):
        assert scheduled_backup_due(now=now) is None  # off by default
        BackupSchedule.objects.update_or_create(defaults={"frequency": BackupFrequency.DAILY, "keep_last": 3})
        first = scheduled_backup_due(now=now)
        assert first is not None and first.kind == BackupKind.SCHEDULED
        assert scheduled_backup_due(now=now) is None
        assert scheduled_backup_due(now=now + timedelta(minutes=30)) is None
        assert scheduled_backup_due(now=now + timedelta(days=1)) is not None
        BackupSchedule.objects.update(frequency=BackupFrequency.WEEKLY)
        assert scheduled_backup_due(now=now) is not None
        assert scheduled_backup_due(now=now) is None
        assert Backup.objects.count() == 3


def test_settings_page_saves_the_schedule(client_a: TenantClient, szef: User, company_a: Company) -> None:
    client_a.login_as(szef)
    assert client_a.post("/settings/backups/", {"frequency": "weekly", "keep_last": "0"}).status_code == 400
    assert client_a.post("/settings/backups/", {"frequency": "weekly", "keep_last": "4"}).status_code == 302
    with schema_context(company_a.schema_name):
        schedule = BackupSchedule.objects.get()
    assert (schedule.frequency, schedule.keep_last) == ("weekly", 4)


def test_retention_keeps_the_last_n_backups_and_removes_older_files(company_a: Company) -> None:
    made = [_made(company_a) for _ in range(3)]
    with schema_context(company_a.schema_name):
        BackupSchedule.objects.update_or_create(defaults={"keep_last": 2})
        files = [_stored(company_a.schema_name, b) for b in made]
        for i, backup in enumerate(made):
            Backup.objects.filter(pk=backup.pk).update(created_at=timezone.now() - timedelta(days=10 - i))
        assert backups_retention_apply() == 1
        assert set(Backup.objects.values_list("pk", flat=True)) == {made[1].pk, made[2].pk}
    assert not files[0].exists()
    assert files[2].exists()


def test_deleting_a_company_removes_its_archives(db: Any, django_capture_on_commit_callbacks: Any) -> None:
    from tenants.services import tenant_delete, tenant_provision

    company = tenant_provision(
        name="Do usunięcia", subdomain="usun", email="s@usun.test", password="x", check_password=False
    ).company
    folder = _stored(company.schema_name, _made(company)).parent
    assert any(folder.iterdir())
    with django_capture_on_commit_callbacks(execute=True):
        tenant_delete(company=company)
    assert not folder.exists()


def test_restore_over_own_company_needs_the_name_and_backs_up_first(
    client_a: TenantClient, szef: User, company_a: Company, company_b: Company
) -> None:
    with schema_context(company_b.schema_name):
        Customer.objects.create(name="Klient firmy B")
        other_company = sorted(Customer.objects.values_list("pk", "name"))
    with schema_context(company_a.schema_name):
        Customer.objects.create(name="Klient sprzed kopii")
    backup = _made(company_a)
    with schema_context(company_a.schema_name):
        Customer.objects.create(name="Klient po kopii")
    client_a.login_as(szef)

    wrong = client_a.post(f"/settings/backups/{backup.pk}/restore/", {"confirmation": "Inna firma"})
    assert wrong.status_code == 400 and "nazwę firmy" in wrong.content.decode()
    with schema_context(company_a.schema_name):
        assert Customer.objects.filter(name="Klient po kopii").exists()
        assert Backup.objects.count() == 1

    done = client_a.post(f"/settings/backups/{backup.pk}/restore/", {"confirmation": company_a.name})
    assert done.status_code == 302, done.content.decode()[-3000:]
    with schema_context(company_a.schema_name):
        names = set(Customer.objects.values_list("name", flat=True))
        assert "Klient sprzed kopii" in names and "Klient po kopii" not in names
        safety = Backup.objects.get(kind=BackupKind.BEFORE_RESTORE)
        assert safety.status == BackupStatus.DONE
        assert User.objects.get(email="szef@alfa.test").check_password("Haslo-testowe-123")
    with schema_context(company_b.schema_name):  # the restore wrote in company A's schema only
        assert sorted(Customer.objects.values_list("pk", "name")) == other_company


def test_queued_backup_is_made_by_the_worker_task(company_a: Company, szef: User) -> None:
    from crm.backups.tasks import backup_make

    with schema_context(company_a.schema_name):
        backup = backup_request(actor=szef)
    outcome = backup_make.apply(args=[backup.pk], headers={"_schema_name": company_a.schema_name}, throw=True).get()
    assert outcome == BackupStatus.DONE
    with schema_context(company_a.schema_name):
        backup.refresh_from_db()
        assert backup.size == _stored(company_a.schema_name, backup).stat().st_size


def test_beat_task_fired_twice_in_a_day_makes_one_backup(
    company_a: Company, django_capture_on_commit_callbacks: Any
) -> None:
    from crm.backups.tasks import scheduled_backup

    with schema_context(company_a.schema_name):
        BackupSchedule.objects.update_or_create(defaults={"frequency": BackupFrequency.DAILY})
    with django_capture_on_commit_callbacks(execute=False):
        first = scheduled_backup.apply(headers={"_schema_name": company_a.schema_name}, throw=True).get()
        second = scheduled_backup.apply(headers={"_schema_name": company_a.schema_name}, throw=True).get()
    assert (first, second) == (True, False)
    with schema_context(company_a.schema_name):
        assert Backup.objects.filter(kind=BackupKind.SCHEDULED).count() == 1
