from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.services import ProvisioningError, tenant_provision
from tenants.urls_helpers import company_url


def _owner_name(options: dict[str, Any]) -> str:
    parts = (str(options["first_name"]).strip(), str(options["last_name"]).strip())
    return " ".join(p for p in parts if p) or str(options["owner_name"]).strip()


class Command(BaseCommand):
    help = "Create a company exactly as public signup does (schema, 14-day trial, defaults, a Szef)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--subdomain", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--first-name", default="", help="the Szef's first name (greetings, owner lists)")
        parser.add_argument("--last-name", default="", help="the Szef's last name")
        parser.add_argument("--owner-name", default="", help="first and last name in one (used when both are empty)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = tenant_provision(
                name=options["name"],
                subdomain=options["subdomain"],
                email=options["email"],
                password=options["password"],
                owner_name=_owner_name(options),
            )
        except ProvisioningError as exc:
            field = f"{exc.field}: " if exc.field else ""
            raise CommandError(f"{field}{exc.message}") from exc
        company = result.company
        self.stdout.write(self.style.SUCCESS(f"Created {company.name}: {company_url(company.subdomain or '')}"))
