"""Restoring an archive: into a new company (the operator's `company_restore`, moving
between installations) or over the active company (Settings, Szef only).

Both check the whole archive first (crm.backups.restore.archive_check): a damaged or
foreign archive is refused before anything is created or changed. The rows then load in
one transaction in the target schema only; the files replace the old ones after commit.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from crm.accounts.models import Role, User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.backups.crypto import DecryptionError, decrypt_to
from crm.backups.models import Backup, BackupKind, BackupStatus
from crm.backups.restore import ArchiveError, archive_check, archive_fits, archive_load, files_stage, files_swap
from crm.backups.services import active_company, backup_run
from crm.backups.storage import backup_open
from tenants.db import connection
from tenants.models import Company
from tenants.services import tenant_delete, tenant_provision

logger = logging.getLogger(__name__)


@contextmanager
def archive_open(path: Path) -> Iterator[zipfile.ZipFile]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(_("To nie jest kopia zapasowa ImCRM: pliku nie da się otworzyć jako archiwum ZIP.")) from exc
    with archive:
        yield archive


def company_restore(*, path: Path, subdomain: str, email: str, password: str) -> Company:
    """A new company made from the archive at `path`, with `email` as its Szef (an
    archived user with that address becomes Szef; otherwise a new one is added).
    ArchiveError / ProvisioningError: nothing was created."""
    with archive_open(path) as archive:
        manifest = archive_check(archive)
        name = str(manifest.get("source", {}).get("name") or subdomain)
        company = tenant_provision(name=name, subdomain=subdomain, email=email, password=password).company
        staging: Path | None = None
        try:
            connection.set_schema_to_public()
            archive_fits(manifest, schema=company.schema_name)
            staging = files_stage(archive, manifest, schema=company.schema_name)
            connection.set_tenant(company)
            with transaction.atomic():
                archive_load(archive, manifest, schema=company.schema_name, keep_passwords=False)
                ContentType.objects.clear_cache()
                _owner_link(email=email, password=password)
            files_swap(staging, schema=company.schema_name)
        except Exception as exc:
            connection.set_schema_to_public()
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            tenant_delete(company=company)
            if isinstance(exc, ArchiveError):
                raise
            if isinstance(exc, DatabaseError):
                raise ArchiveError(
                    _("Kopii nie udało się odtworzyć: dane nie pasują do tej wersji ImCRM (%(error)s).")
                    % {"error": exc}
                ) from exc
            raise
        finally:
            ContentType.objects.clear_cache()
            connection.set_schema_to_public()
    return company


def _owner_link(*, email: str, password: str) -> User:
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        return User.objects.create_user(email.strip().lower(), password, role=Role.SZEF)
    user.set_password(password)
    user.role = Role.SZEF
    user.is_active = True
    user.save()
    return user


@contextmanager
def stored_archive(backup: Backup) -> Iterator[zipfile.ZipFile]:
    """A stored (encrypted) backup of the active company, decrypted into a private temporary file."""
    source = backup_open(backup) if backup.status == BackupStatus.DONE else None
    if source is None:
        raise ArchiveError(_("Ta kopia zapasowa nie jest gotowa albo jej plik zniknął."))
    with tempfile.TemporaryFile() as plain:
        try:
            with source:
                decrypt_to(source, plain)
        except DecryptionError as exc:
            raise ArchiveError(_("Kopii nie da się odszyfrować: plik jest uszkodzony albo klucz się zmienił.")) from exc
        plain.seek(0)
        try:
            archive = zipfile.ZipFile(plain)
        except zipfile.BadZipFile as exc:
            raise ArchiveError(_("Kopia zapasowa jest uszkodzona.")) from exc
        with archive:
            yield archive


def backup_restore_over(*, backup: Backup, actor: User, confirmation: str) -> Backup:
    """Replace the active company's data with `backup` after the Szef typed the company's
    name; the current state is backed up first. Returns that safety backup."""
    company = active_company()
    if confirmation.strip() != company.name.strip():
        raise ArchiveError(_("Wpisz dokładnie nazwę firmy, aby potwierdzić odtworzenie."), field="confirmation")
    with stored_archive(backup) as archive:
        manifest = archive_check(archive)
        archive_fits(manifest, schema=company.schema_name)
        safety = backup_run(backup=_queued_safety(actor))
        if safety.status != BackupStatus.DONE:
            raise ArchiveError(_("Nie udało się zrobić kopii obecnego stanu, więc niczego nie zmieniono."))
        staging = files_stage(archive, manifest, schema=company.schema_name)
        try:
            with transaction.atomic():
                archive_load(archive, manifest, schema=company.schema_name, keep_passwords=True)
                ContentType.objects.clear_cache()
                _restorer_keeps_access(actor)
                _restore_record(actor=actor, backup=backup)
        except DatabaseError as exc:
            logger.exception("restoring backup %s over %s failed", backup.pk, company.schema_name)
            shutil.rmtree(staging, ignore_errors=True)
            raise ArchiveError(_("Kopii nie udało się odtworzyć; dane firmy zostały bez zmian.")) from exc
        except Exception:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            ContentType.objects.clear_cache()
        files_swap(staging, schema=company.schema_name)
    return safety


def _queued_safety(actor: User) -> Backup:
    with transaction.atomic():
        return Backup.objects.create(kind=BackupKind.BEFORE_RESTORE, created_by=actor)


def _restorer_keeps_access(actor: User) -> None:
    """The Szef who restores stays a Szef who can sign in, even if the old data did not know him."""
    user = User.objects.filter(email__iexact=actor.email).first()
    if user is None:
        user = User(email=actor.email, name=actor.name, password=actor.password)
    user.role = Role.SZEF
    user.is_active = True
    user.password = actor.password
    user.save()


def _restore_record(*, actor: User, backup: Backup) -> None:
    activity_record(
        actor=None,
        user_label=actor.email,
        kind=ActivityKind.OTHER,
        object_type="backups.Backup",
        object_repr=str(backup),
        message=_("Odtworzono dane firmy z kopii zapasowej."),
    )
