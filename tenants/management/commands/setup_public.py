from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tenants.services import public_tenant_ensure


class Command(BaseCommand):
    help = "Create the public tenant and bind it to IMCRM_BASE_DOMAIN (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        company = public_tenant_ensure()
        hosts = ", ".join(company.domains.values_list("domain", flat=True))
        self.stdout.write(f"public site on: {hosts}")
