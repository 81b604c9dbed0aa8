"""Filling `Lead.search_text` of leads saved before the column existed (migration 0004
adds it NULL; docs/migrations.md step 2: a backfill in batches outside the migration).
Run by `manage.py leads_search_text_fill` in every company; safe to run again."""

from __future__ import annotations

from django.db import transaction

from crm.leads.models import Lead

BATCH = 2000


def lead_search_text_fill(*, batch: int = BATCH) -> int:
    """Fills the leads of the current schema whose search_text is NULL, `batch` rows per
    transaction in id order; returns how many were filled."""
    filled = 0
    last_id = 0
    while True:
        with transaction.atomic():
            leads = list(
                Lead.objects.filter(search_text__isnull=True, pk__gt=last_id)
                .order_by("pk")
                .select_for_update(skip_locked=True)[:batch]
            )
            if not leads:
                return filled
            for lead in leads:
                lead.search_text_refresh()
            Lead.objects.bulk_update(leads, ["search_text"])
        filled += len(leads)
        last_id = leads[-1].pk
