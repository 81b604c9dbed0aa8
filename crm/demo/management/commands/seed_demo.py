from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm.accounts.models import Role, User
from crm.demo.seed import demo_data_seed
from crm.portal.demo import DEMO_PORTAL_PASSWORD, portal_demo_login
from tenants.db import connection
from tenants.models import Company
from tenants.owner_email import owner_email_mark_confirmed
from tenants.services import public_tenant_ensure, tenant_provision
from tenants.urls_helpers import company_url, public_url

DEMO_SUBDOMAIN = "demo"
DEMO_PASSWORD = "demo12345"
DEMO_STAFF = [
    ("szef@demo.test", "Anna Szefowa", Role.SZEF),
    ("kierownik@demo.test", "Krzysztof Kierownik", Role.KIEROWNIK),
    ("pracownik@demo.test", "Piotr Pracownik", Role.PRACOWNIK),
]


class Command(BaseCommand):
    help = "Create (idempotently) the demo company `demo` with sample data and three staff."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="run even when DEBUG is off")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("seed_demo refuses to run with DEBUG off; pass --force if you mean it.")
        public_tenant_ensure()
        company = Company.objects.filter(subdomain=DEMO_SUBDOMAIN).first()
        if company is None:
            email, name, _role = DEMO_STAFF[0]
            company = tenant_provision(
                name="Demo Sp. z o.o.",
                subdomain=DEMO_SUBDOMAIN,
                email=email,
                password=DEMO_PASSWORD,
                owner_name=name,
                check_password=False,
            ).company
        owner_email_mark_confirmed(company=company)  # demo addresses (@demo.test) receive no mail
        connection.set_tenant(company)
        try:
            for email, name, role in DEMO_STAFF:
                user, created = User.objects.get_or_create(email=email, defaults={"name": name, "role": role})
                if created or not user.check_password(DEMO_PASSWORD):
                    user.set_password(DEMO_PASSWORD)
                    user.role = role
                    user.is_active = True
                    user.save()
            demo_data_seed(company=company)
            portal_email = portal_demo_login()
        finally:
            connection.set_schema_to_public()
        self.stdout.write(self.style.SUCCESS("Demo company ready."))
        self.stdout.write(f"  public site: {public_url('/')}")
        self.stdout.write(f"  demo CRM:    {company_url(DEMO_SUBDOMAIN)}")
        for email, _name, role in DEMO_STAFF:
            self.stdout.write(f"  login {email} / {DEMO_PASSWORD}  ({role})")
        if portal_email:
            portal = company_url(DEMO_SUBDOMAIN, "/portal/")
            self.stdout.write(f"  client portal {portal}: {portal_email} / {DEMO_PORTAL_PASSWORD}  (contact person)")
