from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.migration_safety import baseline_compare, baseline_load, project_findings


class Command(BaseCommand):
    help = "List migration operations that would rewrite or lock an existing table (docs/migrations.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="also list the reviewed findings of the baseline")

    def handle(self, *args: Any, **options: Any) -> None:
        findings = project_findings()
        new, stale = baseline_compare(findings, baseline_load())
        for finding in findings if options["all"] else new:
            self.stdout.write(str(finding))
        for entry in stale:
            self.stdout.write(f"stale baseline entry: {entry}")
        self.stdout.write(f"{len(findings)} findings, {len(new)} not reviewed, {len(stale)} stale")
        if new or stale:
            raise CommandError("unsafe migrations: follow docs/migrations.md, do not add them to the baseline")
