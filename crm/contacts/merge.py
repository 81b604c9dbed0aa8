"""Merging two customers (a duplicate into the one that stays), Pipedrive-like.

The person picks, field by field, whose value the survivor keeps; every record that
points at the other customer then points at the survivor, and the other customer's row
goes, leaving a `CustomerRedirect` so its old card URL still leads somewhere.

The records are found from the model's own relations (`Customer._meta`, hidden ones
included), not from a list: every module that adds a foreign key to `Customer` (and
declares its `customer_field` in the record registry) is covered without a change here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import ForeignKey, ManyToOneRel, Model
from django.utils.translation import gettext as _

from crm.accounts.access import may_change_owned
from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.errors import AppError
from crm.common.records import record_event
from crm.contacts.models import ContactPerson, Customer, CustomerRedirect, contacts_search_text
from crm.contacts.services import customer_update, may_delete_customer

# The fields whose value the person chooses, in the order the merge page shows them.
MERGE_FIELDS: tuple[str, ...] = (
    "kind",
    "name",
    "tax_id",
    "email",
    "phone",
    "street",
    "postal_code",
    "city",
    "country",
    "website",
    "status",
    "type",
    "source",
    "owner",
)
CUSTOM_PREFIX = "cf_"


class CustomerMergeError(AppError):
    pass


@dataclass(frozen=True)
class MovedRelation:
    """One kind of record pointing at customers: model and the field that points."""

    model: type[Model]
    field: ForeignKey[Any, Any]

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)


def customer_relations() -> list[MovedRelation]:
    """Every foreign key into Customer, from any app (hidden ones too: notes and files
    keep `related_name="+"`), except the through tables of the customer's own
    many-to-many fields (groups, followers), which the merge joins instead."""
    own_through = {f.remote_field.through for f in Customer._meta.many_to_many}
    found = []
    for rel in Customer._meta.get_fields(include_hidden=True):
        if not isinstance(rel, ManyToOneRel) or rel.related_model in own_through:
            continue
        field = rel.field
        if isinstance(field, ForeignKey):
            found.append(MovedRelation(model=rel.related_model, field=field))  # type: ignore[arg-type]
    return found


def may_merge(user: User, survivor: Customer, other: Customer) -> bool:
    """Whoever may change both and delete the one that goes (Szef, Kierownik; a Pracownik
    owning both, when Szef lets Pracownicy delete customers)."""
    return may_change_owned(user, survivor.owner_id) and may_delete_customer(user, other)


def _value(customer: Customer, name: str) -> Any:
    if name.startswith(CUSTOM_PREFIX):
        return (customer.custom_fields or {}).get(name[len(CUSTOM_PREFIX) :])
    return getattr(customer, name)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def merge_choices(survivor: Customer, other: Customer) -> list[str]:
    """The field names offered for choice: MERGE_FIELDS and `cf_<key>` of custom fields."""
    keys = sorted({*(survivor.custom_fields or {}), *(other.custom_fields or {})})
    return [*MERGE_FIELDS, *(CUSTOM_PREFIX + key for key in keys)]


def merge_defaults(survivor: Customer, other: Customer) -> dict[str, int]:
    """What a field keeps unless chosen: the survivor's value, the other's where the
    survivor has none."""
    chosen = {}
    for name in merge_choices(survivor, other):
        empty_here = _empty(_value(survivor, name))
        chosen[name] = other.pk if empty_here and not _empty(_value(other, name)) else survivor.pk
    return chosen


def _chosen_data(survivor: Customer, other: Customer, fields: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(fields, Mapping):
        raise CustomerMergeError(_("Podaj wybór pól jako obiekt {pole: id klienta}."), "fields")
    offered = merge_choices(survivor, other)
    unknown = sorted(set(fields) - set(offered))
    if unknown:
        raise CustomerMergeError(_("Nieznane pole: %(names)s.") % {"names": ", ".join(unknown)}, "fields")
    chosen = merge_defaults(survivor, other)
    for name, source in fields.items():
        try:
            source_id = int(source)
        except (TypeError, ValueError):
            source_id = 0
        if source_id not in (survivor.pk, other.pk):
            raise CustomerMergeError(
                _("Pole %(name)s: wskaż jednego z dwóch scalanych klientów.") % {"name": name}, "fields"
            )
        chosen[name] = source_id
    data: dict[str, Any] = {}
    custom = dict(survivor.custom_fields or {})
    for name, source_id in chosen.items():
        value = _value(other if source_id == other.pk else survivor, name)
        if name.startswith(CUSTOM_PREFIX):
            key = name[len(CUSTOM_PREFIX) :]
            if _empty(value):
                custom.pop(key, None)
            else:
                custom[key] = value
        else:
            data[name] = value
    data["custom_fields"] = custom
    data["tags"] = [*survivor.tags, *(t for t in other.tags if t not in survivor.tags)]
    if other.last_contact_at and (survivor.last_contact_at is None or other.last_contact_at > survivor.last_contact_at):
        data["last_contact_at"] = other.last_contact_at
    return data


def _records_move(survivor: Customer, other: Customer) -> dict[str, int]:
    moved: dict[str, int] = {}
    for relation in customer_relations():
        manager = relation.model._base_manager  # also rows a default manager hides
        count = manager.filter(**{relation.field.attname: other.pk}).update(**{relation.field.attname: survivor.pk})
        if count:
            moved[relation.model._meta.label_lower] = count
    return moved


@transaction.atomic
def customer_merge(*, survivor: Customer, other: Customer, actor: User, fields: Mapping[str, Any]) -> Customer:
    """Merge `other` into `survivor` (values per `fields`: {"name": <id of the customer whose
    name stays>, "cf_<key>": id, ...}; unnamed fields keep the survivor's value, or the
    other's where the survivor has none). All or nothing."""
    if survivor.pk == other.pk:
        raise CustomerMergeError(_("Wybierz innego klienta do scalenia."), "other")
    if not may_merge(actor, survivor, other):
        raise PermissionDenied(
            _("Scalić klientów może Kierownik, Szef albo opiekun obu klientów, któremu wolno usuwać klientów.")
        )
    data = _chosen_data(survivor, other, fields)
    groups = {g.pk: g for g in [*survivor.groups.all(), *other.groups.all()]}
    followers = [*survivor.followers.all(), *other.followers.all()]
    other_name, other_id = other.name, other.pk
    try:
        with transaction.atomic():
            moved = _records_move(survivor, other)
            CustomerRedirect.objects.create(old_id=other_id, old_name=other_name, customer=survivor)
            other.delete()
    except IntegrityError as exc:
        raise CustomerMergeError(_("Nie udało się przenieść rekordów klienta: %(error)s") % {"error": exc}) from exc
    survivor.refresh_from_db()
    survivor.followers.add(*followers)
    rows = ContactPerson.objects.filter(customer=survivor).order_by("id").values_list("name", "email", "phone")
    survivor.contacts_search_text = contacts_search_text(rows)
    survivor.save(update_fields=["contacts_search_text"])
    survivor = customer_update(customer=survivor, actor=actor, data=data, groups=list(groups.values()))
    params = {"name": survivor.name, "other": other_name, "other_id": other_id, "moved": moved}
    record_event(
        obj=survivor,
        kind="customer_changed",
        message=_("Scalono klienta %(other)s z klientem %(name)s") % {"other": other_name, "name": survivor.name},
        actor=actor,
        code="customer.merged",
        params=params,
    )
    activity_record(actor=actor, kind=ActivityKind.UPDATE, obj=survivor, code="customer.merged", params=params)
    return survivor


def customer_redirect_target(old_id: int) -> int | None:
    """The customer a merged customer's id now leads to (None: never merged)."""
    return CustomerRedirect.objects.filter(old_id=old_id).values_list("customer_id", flat=True).first()
