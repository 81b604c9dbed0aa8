"""`manage.py portal_access --company SUB --email E --password P --permissions invoices,offers,...`:
the contact person with that e-mail in company SUB gets the client portal (crm.portal)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import schema_context

from crm.contacts.models import PortalPermission
from crm.portal.services import portal_access_grant
from tenants.models import Company


class Command(BaseCommand):
    help = "Give a company's contact person access to the client portal (/portal/)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", required=True, help="the company's subdomain")
        parser.add_argument("--email", required=True, help="the contact person's e-mail")
        parser.add_argument("--password", required=True, help="at least 8 characters, as for staff")
        parser.add_argument(
            "--permissions",
            default=",".join(PortalPermission.values),
            help=f"comma-separated, from: {','.join(PortalPermission.values)} (default: all)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        company = Company.objects.filter(subdomain=options["company"]).first()
        if company is None:
            raise CommandError(f"No company with the subdomain {options['company']!r}.")
        with schema_context(company.schema_name):
            try:
                account = portal_access_grant(
                    email=options["email"], password=options["password"], permissions=options["permissions"]
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            perms = ",".join(account.contact.portal_permissions)
        self.stdout.write(f"Portal access for {account.contact.email} ({perms}) in {company.subdomain}.")
