from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm.backups.restore import ArchiveError
from crm.backups.restoring import company_restore
from tenants.services import ProvisioningError
from tenants.urls_helpers import company_url


class Command(BaseCommand):
    help = "Create a new company from a backup archive (company_backup or Settings > Kopie zapasowe)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="the archive (.zip)")
        parser.add_argument("--subdomain", required=True)
        parser.add_argument("--email", required=True, help="the Szef of the new company")
        parser.add_argument("--password", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["archive"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            company = company_restore(
                path=path, subdomain=options["subdomain"], email=options["email"], password=options["password"]
            )
        except (ArchiveError, ProvisioningError) as exc:
            field = f"{exc.field}: " if exc.field else ""
            raise CommandError(f"{field}{exc.message}") from exc
        self.stdout.write(self.style.SUCCESS(f"Restored {company.name}: {company_url(company.subdomain or '')}"))
