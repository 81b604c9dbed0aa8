"""`manage.py deals_pipeline_backfill [--company SUB] [--batch-size N]`: fill the empty
`pipeline` of deals older than pipelines in every company schema (crm/sales/pipeline_backfill.py).
Safe to run again and while the site serves; prints what it filled per company and in total."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import schema_context

from crm.sales.pipeline_backfill import BATCH_SIZE, BackfillCounts, deals_pipeline_backfill
from tenants.models import Company


class Command(BaseCommand):
    help = "Fill deal.pipeline from the deal's stage (no stage: the default pipeline) in every company, in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", help="only this company (its subdomain)")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help=f"deals per transaction ({BATCH_SIZE})")

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        companies = Company.objects.real().filter(is_ready=True).order_by("id")
        if options["company"]:
            companies = companies.filter(subdomain=options["company"])
            if not companies.exists():
                raise CommandError(f"No company with the subdomain {options['company']!r}.")
        total, reached = BackfillCounts(), 0
        for company in companies.iterator():
            with schema_context(company.schema_name):
                counts = deals_pipeline_backfill(batch_size=batch_size)
            total += counts
            reached += 1
            if counts.filled or counts.left:
                self.stdout.write(
                    f"{company.schema_name}: {counts.from_stage} from their stage, "
                    f"{counts.to_default} without a stage to the default pipeline, {counts.left} left"
                )
        self.stdout.write(
            f"Companies: {reached}. Deals filled: {total.filled} ({total.from_stage} from their stage, "
            f"{total.to_default} without a stage to the default pipeline); left empty: {total.left}."
        )
