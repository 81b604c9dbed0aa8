from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm.backups.services import archive_plain_write
from tenants.db import connection
from tenants.models import Company


class Command(BaseCommand):
    help = "Write a company's full backup (the portable archive of docs/backups.md, not encrypted) to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", required=True, help="the company's subdomain")
        parser.add_argument("--out", required=True, help="the archive to write (.zip)")

    def handle(self, *args: Any, **options: Any) -> None:
        company = Company.objects.real().filter(subdomain=str(options["company"]).strip().lower()).first()
        if company is None:
            raise CommandError(f"No company with the subdomain {options['company']!r}.")
        out = Path(options["out"])
        partial = out.with_name(out.name + ".partial")
        try:
            with partial.open("wb") as target:
                manifest = archive_plain_write(company=company, target=target)
            partial.replace(out)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Cannot write {out}: {exc}") from exc
        finally:
            connection.set_schema_to_public()
        rows = sum(m.get("rows", 0) for m in manifest["members"].values())
        files = sum(1 for m in manifest["members"].values() if m["kind"] == "file")
        self.stdout.write(self.style.SUCCESS(f"Backup of {company.name} written to {out}: {rows} rows, {files} files."))
