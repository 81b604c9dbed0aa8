"""Keeping deleted records and restoring them.

`trash_keep(obj=..., actor=...)` is called by a record's delete service inside its
transaction, just before `obj.delete()`: it walks the same cascade Django's delete will
walk (a `Collector` that never fast-deletes, so every row is seen) and stores every row
that is about to go, the links the delete will clear (SET_NULL) and copies of the files.
`trash_restore` inserts the rows again with their ids (raw saves: no auto-dates, no
business signals), puts the links and files back and removes the entry.
"""

from __future__ import annotations

import json
import uuid
from functools import partial
from typing import Any, cast

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, router, transaction
from django.db.models import FileField, Model, QuerySet
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.records import record_type_of
from crm.trash.models import TrashEntry


class _SeeingCollector(Collector):
    """Collects every row a delete will remove, one by one (no fast deletes)."""

    def can_fast_delete(self, *args: Any, **kwargs: Any) -> bool:
        return False


def _row(obj: Model) -> dict[str, Any]:
    """The row as Django's serializer writes it, without many-to-many values (their
    link rows are collected and restored as rows of their own)."""
    row = serializers.serialize("python", [obj])[0]
    many = {f.name for f in obj._meta.many_to_many}
    row["fields"] = {k: v for k, v in row["fields"].items() if k not in many}
    return cast(dict[str, Any], json.loads(json.dumps(row, cls=DjangoJSONEncoder)))


def _record_key_and_name(obj: Model) -> tuple[str, str]:
    try:
        key = record_type_of(obj).key
    except KeyError:
        key = obj._meta.label_lower
    return key, str(obj)[:300]


def _file_keep(obj: Model, field: FileField, entry_token: str) -> dict[str, str] | None:
    value = getattr(obj, field.attname)
    name = str(value or "")
    if not name:
        return None
    storage = field.storage
    if not storage.exists(name):
        return None
    with storage.open(name, "rb") as fh:
        kept = storage.save(f"trash/{entry_token}/{name.rsplit('/', 1)[-1]}", ContentFile(fh.read()))
    return {"name": name, "kept": kept, "model": obj._meta.label_lower}


def trash_keep(*, obj: Model, actor: User | None, name: str | None = None) -> TrashEntry:
    """Store `obj` and everything its delete takes with it; the caller deletes it next.
    `name` is what Settings > Kosz lists it as (default: `str(obj)`; a draft invoice has
    no number, so its service names the customer). Raises ProtectedError just as the
    delete would (nothing stored then)."""
    collector = _SeeingCollector(using=router.db_for_write(type(obj)), origin=obj)
    collector.collect([obj])
    rows: list[dict[str, Any]] = []
    files: list[dict[str, str]] = []
    token = uuid.uuid4().hex
    for model, instances in collector.data.items():
        file_fields: list[FileField] = [f for f in model._meta.concrete_fields if isinstance(f, FileField)]
        for instance in instances:
            rows.append(_row(instance))
            for field in file_fields:
                kept = _file_keep(instance, field, token)
                if kept:
                    files.append(kept)
    links: list[dict[str, Any]] = []
    for (link_field, value), groups in collector.field_updates.items():
        if value is not None:
            continue
        for group in cast(list[Any], groups):
            pairs: list[tuple[Any, Any]] = (
                list(group.values_list("pk", link_field.attname))
                if isinstance(group, QuerySet)
                else [(o.pk, getattr(o, link_field.attname)) for o in group]
            )
            by_target: dict[Any, list[Any]] = {}
            for pk, target in pairs:
                if target is not None:
                    by_target.setdefault(target, []).append(pk)
            for target, pks in by_target.items():
                links.append(
                    {
                        "model": link_field.model._meta.label_lower,
                        "field": link_field.attname,
                        "value": target,
                        "pks": pks,
                    }
                )
    # Parents first when restoring (the collector orders children first for deleting).
    rows.reverse()
    key, shown = _record_key_and_name(obj)
    return TrashEntry.objects.create(
        record_key=key,
        model=obj._meta.label_lower,
        object_pk=int(obj.pk),
        name=(name or shown)[:300],
        rows=rows,
        links=links,
        files=files,
        deleted_by=actor,
    )


def _missing_parents(instances: list[Model]) -> bool:
    """True when a restored row points at a row that is not there (deleted for good)."""
    wanted: dict[type[Model], set[Any]] = {}
    for obj in instances:
        for field in obj._meta.concrete_fields:
            if field.is_relation and (field.many_to_one or field.one_to_one):
                value = getattr(obj, field.attname)
                if value is not None and field.related_model is not None:
                    wanted.setdefault(field.related_model, set()).add(value)  # type: ignore[arg-type]
    return any(model._base_manager.filter(pk__in=pks).count() != len(pks) for model, pks in wanted.items())


def trash_restore(*, entry: TrashEntry, actor: User) -> Model:
    """Put the entry's rows back; a clear ValidationError (and nothing changed) when they
    cannot go back, e.g. the record they belonged to was deleted for good meanwhile."""
    refused = ValidationError(
        _("Nie można przywrócić „%(name)s”: rekord, do którego należał, został usunięty na zawsze.")
        % {"name": entry.name}
    )
    try:
        with transaction.atomic():
            instances = []
            for item in serializers.deserialize("python", entry.rows):
                obj = item.object
                if type(obj)._base_manager.filter(pk=obj.pk).exists():
                    raise ValidationError(_("„%(name)s” już jest na swoim miejscu.") % {"name": entry.name})
                obj.save_base(raw=True, force_insert=True)
                instances.append(obj)
            if _missing_parents(instances):
                raise refused
            for link in entry.links:
                model = apps.get_model(link["model"])
                model._base_manager.filter(pk__in=link["pks"], **{f"{link['field']}__isnull": True}).update(
                    **{link["field"]: link["value"]}
                )
            for kept in entry.files:
                storage = _storage(kept["model"])
                if not storage.exists(kept["name"]) and storage.exists(kept["kept"]):
                    with storage.open(kept["kept"], "rb") as fh:
                        storage.save(kept["name"], ContentFile(fh.read()))
            record = apps.get_model(entry.model)._base_manager.get(pk=entry.object_pk)
            activity_record(
                actor=actor, kind=ActivityKind.UPDATE, obj=record, code="trash.restored", params={"name": entry.name}
            )
            _kept_files_delete(entry)
            entry.delete()
    except IntegrityError as exc:
        raise refused from exc
    return record


def _storage(model_label: str) -> Any:
    model = apps.get_model(model_label)
    return next(f for f in model._meta.concrete_fields if isinstance(f, FileField)).storage


def _kept_files_delete(entry: TrashEntry) -> None:
    for kept in entry.files:
        transaction.on_commit(partial(_storage(kept["model"]).delete, kept["kept"]))


def trash_purge(*, now: Any = None) -> int:
    """Deletes entries past their 30 days (and their kept files); the number deleted."""
    now = now or timezone.now()
    count = 0
    for entry in TrashEntry.objects.filter(expires_at__lte=now):
        with transaction.atomic():
            _kept_files_delete(entry)
            entry.delete()
        count += 1
    return count


def trash_entries_forget(entries: QuerySet[TrashEntry]) -> int:
    """Deletes `entries` and their kept files now, whatever their date (a person's data
    erased under RODO must not wait 30 days in the trash); the number deleted."""
    count = 0
    for entry in entries:
        _kept_files_delete(entry)
        entry.delete()
        count += 1
    return count
