from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import tenant_context

from crm.leads.search_fill import lead_search_text_fill
from tenants.fanout import ready_companies


class Command(BaseCommand):
    help = (
        "Fill the search text of leads saved before it existed (leads migration 0004), in batches,"
        " in every company or in one (--company). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", default="", help="only this company (its subdomain)")

    def handle(self, *args: Any, **options: Any) -> None:
        companies = ready_companies().order_by("id")
        subdomain = str(options["company"] or "").strip().lower()
        if subdomain:
            companies = companies.filter(subdomain=subdomain)
            if not companies.exists():
                raise CommandError(f"No company with the subdomain {options['company']!r}.")
        total = 0
        for company in companies:
            with tenant_context(company):
                filled = lead_search_text_fill()
            total += filled
            if filled:
                self.stdout.write(f"{company.subdomain}: {filled} leads filled.")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} leads filled."))
