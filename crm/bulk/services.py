"""One bulk action on many records of a list, all or nothing.

The ids (given, or those of every record matching a list's filters, at most
MAX_MATCHING) must all be records the person sees (one unknown id refuses the whole
action), and every record must be one the person may change (or delete); then a single
statement per change, one activity entry with the count, the notifications a single
assignment sends, and deleted records kept in the trash one by one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, F, Func, Model, ProtectedError, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.access import record_owner_for
from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.bulk.targets import (
    ASSIGN,
    DELETE,
    DONE,
    GROUP_ADD,
    GROUP_REMOVE,
    STAGE,
    STATUS,
    TAG_ADD,
    TAG_REMOVE,
    TARGETS,
    BulkTarget,
    groups,
)
from crm.common.errors import AppError
from crm.common.records import record_type
from crm.contacts.services import tags_clean
from crm.notifications.services import notify
from crm.trash.services import trash_keep

MAX_IDS = 1000
# "Select all matching" (a list's filters instead of ids): at most this many records at
# once. Each is locked, checked and (for delete) kept in the trash one by one, and an
# assignment notifies per record, so the request stays within seconds.
MAX_MATCHING = 10_000


class BulkError(AppError):
    pass


def bulk_target(key: str) -> BulkTarget:
    """The target of a list ("customer", "lead", "deal", "task"); KeyError for others."""
    return TARGETS[key]


def ids_clean(raw: Any) -> list[int]:
    """The ids of a request: a list of positive integers, at most MAX_IDS, none twice."""
    if not isinstance(raw, list | tuple) or not raw:
        raise BulkError(_("Zaznacz co najmniej jeden rekord."), "ids")
    if len(raw) > MAX_IDS:
        raise BulkError(
            _("Jednorazowo można zmienić najwyżej %(max)s rekordów; zaznaczono %(count)s.")
            % {"max": MAX_IDS, "count": len(raw)},
            "ids",
        )
    ids: list[int] = []
    for item in raw:
        text = str(item).strip()
        if not text.isdigit() or isinstance(item, bool) or int(text) > 2**63 - 1 or int(text) < 1:
            raise BulkError(_("Nieprawidłowy identyfikator rekordu: %(id)s.") % {"id": str(item)[:20]}, "ids")
        if int(text) not in ids:
            ids.append(int(text))
    return ids


def matching_ids(matching: QuerySet[Any]) -> list[int]:
    """The ids of every record of `matching` (a list's filtered set), at most MAX_MATCHING."""
    ids = list(dict.fromkeys(matching.order_by("pk").values_list("pk", flat=True)[: MAX_MATCHING + 1]))
    if len(ids) > MAX_MATCHING:
        raise BulkError(
            _(
                "Do filtrów pasuje %(count)s rekordów, a jednorazowo można zmienić najwyżej %(max)s. "
                "Zawęź filtry. Niczego nie zmieniono."
            )
            % {"count": matching.count(), "max": MAX_MATCHING},
            "filter",
        )
    if not ids:
        raise BulkError(_("Żaden rekord nie pasuje do filtrów. Niczego nie zmieniono."), "filter")
    return ids


def _pick(choices: Any, raw: Any, field: str, message: str) -> Any:
    text = str(raw if raw is not None else "").strip()
    found = choices.filter(pk=int(text)).first() if text.isdigit() and int(text) <= 2**63 - 1 else None
    if found is None:
        raise BulkError(message, field)
    return found


def _records(target: BulkTarget, actor: User, ids: Sequence[int]) -> list[Any]:
    records = list(target.visible(actor).filter(pk__in=ids).select_for_update(of=("self",)).order_by("pk"))
    if len(records) != len(ids):
        missing = len(ids) - len(records)
        raise BulkError(
            _(
                "Nie znaleziono %(count)s z zaznaczonych rekordów (mogły zostać usunięte albo nie masz do nich "
                "dostępu). Niczego nie zmieniono."
            )
            % {"count": missing},
            "ids",
        )
    return records


def _refuse_unless(allowed: bool, target: BulkTarget, obj: Model) -> None:
    if not allowed:
        raise PermissionDenied(
            _("Nie możesz zmienić rekordu „%(name)s”: %(reason)s Niczego nie zmieniono.")
            % {"name": str(obj), "reason": target.refusal}
        )


def _log(actor: User, target: BulkTarget, action: str, count: int, value: str) -> None:
    activity_record(
        actor=actor,
        kind=ActivityKind.DELETE if action == DELETE else ActivityKind.UPDATE,
        code=f"bulk.{action}",
        object_type=record_type(target.key).model._meta.label_lower,
        object_repr=str(record_type(target.key).label_plural),
        params={"type": target.key, "count": count, "value": value},
    )


def _delete(target: BulkTarget, actor: User, records: list[Any]) -> None:
    for obj in records:
        _refuse_unless(target.may_delete(actor, obj), target, obj)
    try:
        with transaction.atomic():
            for obj in records:
                trash_keep(obj=obj, actor=actor)
                obj.delete()
    except ProtectedError as exc:
        kinds = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
        raise BulkError(
            _("Nie można usunąć rekordów, które mają: %(kinds)s. Niczego nie usunięto.") % {"kinds": ", ".join(kinds)}
        ) from exc


def _assign(target: BulkTarget, actor: User, records: list[Any], raw: Any) -> str:
    owner = _pick(User.objects.filter(is_active=True), raw, "owner", _("Wybierz osobę z listy."))
    try:
        owner = record_owner_for(actor=actor, owner=owner)
    except ValidationError as exc:
        raise BulkError(" ".join(exc.messages), "owner") from exc
    assert owner is not None  # an owner was named
    field = f"{target.owner_field}_id"
    changed = [obj for obj in records if getattr(obj, field) != owner.pk]
    type(records[0]).objects.filter(pk__in=[o.pk for o in changed]).update(
        **{target.owner_field: owner, "updated_at": timezone.now()}
    )
    if target.assigned_kind:
        for obj in changed:
            notify(
                recipient=owner,
                kind=target.assigned_kind,
                title=str(obj),
                url=record_type(target.key).card_url(obj),
                actor=actor,
            )
    return str(owner)


def _set_category(target: BulkTarget, records: list[Any], raw: Any, action: str) -> str:
    choices = target.status_choices if action == STATUS else target.stage_choices
    assert choices is not None
    field = "status" if action == STATUS else "stage"
    message = _("Wybierz status z listy.") if action == STATUS else _("Wybierz etap z listy.")
    value = _pick(choices(), raw, field, message)
    extra: dict[str, Any] = {}
    if target.key == "deal" and action == STATUS:  # an open status: as when a deal is reopened
        extra = {"closed_at": None, "win_reason": None, "loss_reason": None}
    type(records[0]).objects.filter(pk__in=[o.pk for o in records]).update(
        **{field: value, "updated_at": timezone.now(), **extra}
    )
    return str(value)


def _done(records: list[Any], raw: Any) -> str:
    if isinstance(raw, bool):
        done = raw
    elif str(raw).strip().lower() in ("1", "true", "on", "yes"):
        done = True
    elif str(raw).strip().lower() in ("0", "false", "off", "no"):
        done = False
    else:
        raise BulkError(_("Podaj, czy zadania są wykonane (true albo false)."), "done")
    type(records[0]).objects.filter(pk__in=[o.pk for o in records], done=not done).update(
        done=done, completed_at=timezone.now() if done else None, updated_at=timezone.now()
    )
    return str(done)


def _groups(records: list[Any], raw: Any, action: str) -> str:
    group = _pick(groups(), raw, "group", _("Wybierz grupę z listy."))
    through = type(records[0]).groups.through
    ids = [o.pk for o in records]
    if action == GROUP_ADD:
        have = set(
            through.objects.filter(contactgroup=group, customer_id__in=ids).values_list("customer_id", flat=True)
        )
        through.objects.bulk_create([through(customer_id=pk, contactgroup=group) for pk in ids if pk not in have])
    else:
        through.objects.filter(contactgroup=group, customer_id__in=ids).delete()
    return group.name


def _tags(records: list[Any], raw: Any, action: str) -> str:
    tags = tags_clean(str(raw or "")[:50])
    if len(tags) != 1:
        raise BulkError(_("Podaj jeden tag."), "tag")
    tag = tags[0]
    model = type(records[0])
    ids = [o.pk for o in records]
    array = Value([tag], output_field=ArrayField(CharField(max_length=50)))
    if action == TAG_ADD:
        model.objects.filter(pk__in=ids).exclude(tags__contains=[tag]).update(
            tags=Func(F("tags"), array, function="array_cat"), updated_at=timezone.now()
        )
    else:
        model.objects.filter(pk__in=ids, tags__contains=[tag]).update(
            tags=Func(F("tags"), Value(tag), function="array_remove", output_field=ArrayField(CharField())),
            updated_at=timezone.now(),
        )
    return tag


@transaction.atomic
def bulk_apply(
    *,
    key: str,
    actor: User,
    ids: Any = None,
    matching: QuerySet[Any] | None = None,
    action: str,
    value: Any = None,
) -> int:
    """Do `action` on the records `ids` of type `key`, or on every record of `matching`
    (a list's set for its filters, already narrowed to what `actor` sees: "select all
    matching"); returns how many were acted on. BulkError (400) for bad input or more than
    MAX_MATCHING records, PermissionDenied (403) when one record may not be changed:
    nothing is changed then."""
    target = bulk_target(key)
    if action not in target.actions:
        raise BulkError(_("Nieznana akcja. Dozwolone: %(actions)s.") % {"actions": ", ".join(target.actions)}, "action")
    clean_ids = matching_ids(matching) if matching is not None else ids_clean(ids)
    records = _records(target, actor, clean_ids)
    if action == DELETE:
        _delete(target, actor, records)
        _log(actor, target, action, len(records), "")
        return len(records)
    for obj in records:
        _refuse_unless(target.may_change(actor, obj), target, obj)
    if action == ASSIGN:
        shown = _assign(target, actor, records, value)
    elif action in (STATUS, STAGE):
        shown = _set_category(target, records, value, action)
    elif action == DONE:
        shown = _done(records, value)
    elif action in (GROUP_ADD, GROUP_REMOVE):
        shown = _groups(records, value, action)
    else:
        assert action in (TAG_ADD, TAG_REMOVE)
        shown = _tags(records, value, action)
    _log(actor, target, action, len(records), shown)
    return len(records)
