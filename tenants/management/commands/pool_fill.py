from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from tenants.services import pool_fill


class Command(BaseCommand):
    help = "Build ready, migrated schemas for signups to claim."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", type=int, default=settings.IMCRM_POOL_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        built = pool_fill(target=options["size"])
        self.stdout.write(f"pool: built {built}, target {options['size']}")
