"""Who sees which deleted records: Szef the whole trash (Settings > Kosz); anybody else
what he deleted himself or what was his (the record type's owner: a customer's or deal's
owner, a task's or ticket's assignee), under "Mój kosz"."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from crm.accounts.access import is_szef
from crm.accounts.models import User
from crm.common.records import record_types
from crm.trash.models import TrashEntry


def trash_entries_for(user: User) -> QuerySet[TrashEntry]:
    entries = TrashEntry.objects.select_related("deleted_by").defer("rows", "links", "files")
    if is_szef(user):
        return entries
    mine = Q(deleted_by=user)
    for kind in record_types():
        if kind.owner_field:
            # rows[0] is the record itself, as Django's serializer wrote it (field names).
            mine |= Q(record_key=kind.key, **{f"rows__0__fields__{kind.owner_field}": user.pk})
    return entries.filter(mine)
