"""Writes of customers and their contact persons. Pages, the API and the CSV import
call these, so the rules hold everywhere: NIP checksum, e-mail in lower case, the
plan's customer limit, and every change written to the customer's timeline."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.access import (
    CustomerAction,
    customers_action_check,
    may_change_owned,
    may_customers,
    record_owner_for,
)
from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record, field_changes
from crm.categories.models import ContactGroup
from crm.common.events import event_emit
from crm.common.records import record_event
from crm.contacts.models import ContactPerson, Customer, CustomerKind, PortalPermission, contacts_search_text
from crm.contacts.selectors import customer_duplicates
from crm.contacts.validators import nip_normalise
from crm.trash.services import trash_keep
from tenants.limits import limit_problem

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

CUSTOMER_FIELDS = (
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
    "tags",
    "last_contact_at",
    "custom_fields",
)
CONTACT_FIELDS = ("name", "position", "email", "phone")
PORTAL_FIELDS = ("portal_enabled", "portal_permissions", "portal_own_tickets_only")
# Told (with the contact's id) when staff switch the client portal on for a contact person:
# crm.portal (a higher layer) registers the sender of the invitation e-mail here.
portal_enabled_listeners: list[Callable[[int], None]] = []


def tags_clean(tags: Iterable[str] | str | None) -> list[str]:
    """ "VIP, hurt ,vip" -> ["vip", "hurt"]: lower case, no duplicates, at most 20 of 50 chars."""
    if isinstance(tags, str):
        tags = tags.split(",")
    seen: list[str] = []
    for tag in tags or []:
        tag = " ".join(str(tag).split()).lower()[:50]
        if tag and tag not in seen:
            seen.append(tag)
    return seen[:20]


def customer_data_clean(data: dict[str, Any]) -> dict[str, Any]:
    """Normalise the fields the forms, API and import share; ValidationError per field."""
    clean = dict(data)
    errors: dict[str, Any] = {}
    if "name" in clean:
        clean["name"] = " ".join(str(clean["name"] or "").split())
        if not clean["name"]:
            errors["name"] = _("Podaj nazwę klienta.")
    if "tax_id" in clean:
        try:
            clean["tax_id"] = nip_normalise(clean["tax_id"])
        except ValidationError as exc:
            errors["tax_id"] = exc.messages
    if "email" in clean:
        clean["email"] = (clean["email"] or "").strip().lower()
    if "tags" in clean:
        clean["tags"] = tags_clean(clean["tags"])
    for key in ("phone", "street", "postal_code", "city", "country", "website"):
        if key in clean:
            clean[key] = (clean[key] or "").strip()
    if errors:
        raise ValidationError(errors)
    return clean


def may_delete_customer(user: User | AnonymousUser, customer: Customer) -> bool:
    """Szef and Kierownik delete any customer; a Pracownik his own, when Szef allows it."""
    return may_customers(user, CustomerAction.DELETE) and may_change_owned(user, customer.owner_id)


class CustomerDuplicateError(ValidationError):
    """A customer with the same NIP or e-mail exists; `duplicates` are those customers
    (the caller shows only the ones its user may see)."""

    def __init__(self, duplicates: list[Customer]) -> None:
        super().__init__(
            _("Klient z tym samym NIP lub adresem e-mail już istnieje. Sprawdź listę albo zaznacz „zapisz mimo to”."),
            code="duplicate",
        )
        self.duplicates = duplicates


def customer_duplicates_check(*, tax_id: str, email: str) -> None:
    found = list(customer_duplicates(tax_id=tax_id, email=email))
    if found:
        raise CustomerDuplicateError(found)


def _display(customer: Customer, name: str) -> str:
    value = getattr(customer, name)
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(value)
    if hasattr(value, "strftime"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if name == "kind":
        return str(customer.get_kind_display())
    return str(value)


@transaction.atomic
def customer_create(
    *,
    actor: User | None,
    data: dict[str, Any],
    groups: Iterable[ContactGroup] = (),
    check_limit: bool = True,
    allow_duplicate: bool = False,
) -> Customer:
    """A new customer. Refused (CustomerDuplicateError) when one with the same NIP or
    e-mail exists, unless `allow_duplicate`; a restricted Pracownik owns what he creates."""
    if check_limit:
        problem = limit_problem("customers")
        if problem:
            raise ValidationError(problem)
    clean = customer_data_clean(data)
    clean["owner"] = record_owner_for(actor=actor, owner=clean.get("owner", actor))
    if not allow_duplicate:
        customer_duplicates_check(tax_id=clean.get("tax_id", ""), email=clean.get("email", ""))
    customer = Customer(**{k: v for k, v in clean.items() if k in CUSTOMER_FIELDS})
    customer.full_clean(exclude=["status", "type", "source", "owner", "groups", "followers"])
    customer.save()
    if groups:
        customer.groups.set(groups)
    record_event(
        obj=customer,
        kind="customer_created",
        message=_("Dodano klienta %(name)s") % {"name": customer.name},
        actor=actor,
        code="customer.created",
        params={"name": customer.name},
    )
    activity_record(
        actor=actor, kind=ActivityKind.CREATE, obj=customer, code="customer.created", params={"name": customer.name}
    )
    event_emit("customer.created", customer, actor=actor)
    return customer


@transaction.atomic
def customer_update(
    *, customer: Customer, actor: User, data: dict[str, Any], groups: Iterable[ContactGroup] | None = None
) -> Customer:
    clean = customer_data_clean(data)
    if "owner" in clean:
        clean["owner"] = record_owner_for(actor=actor, owner=clean["owner"])
    before = {name: _display(customer, name) for name in clean if name in CUSTOMER_FIELDS}
    for name, value in clean.items():
        if name in CUSTOMER_FIELDS:
            setattr(customer, name, value)
    customer.full_clean(exclude=["status", "type", "source", "owner", "groups", "followers"])
    customer.save()
    changes = []
    changed = field_changes(before, {name: _display(customer, name) for name in before})
    for change in changed:
        name, old, new = change["field"], change["from"], change["to"]
        label = str(getattr(Customer._meta.get_field(name), "verbose_name", name))
        changes.append(f"{label}: {old} → {new}" if name not in ("tags",) else f"{label}: {new}")
    if groups is not None:
        old_groups = {g.pk: g.name for g in customer.groups.all()}
        new_groups = {g.pk: g.name for g in groups}
        if set(old_groups) != set(new_groups):
            customer.groups.set(list(groups))
            shown = ", ".join(sorted(new_groups.values())) or "—"
            changes.append(f"{_('grupy')}: {shown}")
            changed.append({"field": "groups", "from": ", ".join(sorted(old_groups.values())) or "—", "to": shown})
    if changes:
        params = {"name": customer.name, "changes": changed}
        record_event(
            obj=customer,
            kind="customer_changed",
            message=_("Zmieniono: %(changes)s") % {"changes": "; ".join(changes)},
            actor=actor,
            code="customer.updated",
            params=params,
        )
        activity_record(actor=actor, kind=ActivityKind.UPDATE, obj=customer, code="customer.updated", params=params)
        event_emit("customer.updated", customer, actor=actor)
    return customer


def customer_delete(*, customer: Customer, actor: User) -> None:
    customers_action_check(actor, CustomerAction.DELETE)
    if not may_delete_customer(actor, customer):
        raise PermissionDenied(_("Klienta może usunąć jego opiekun, Kierownik albo Szef."))
    try:
        with transaction.atomic():
            activity_record(
                actor=actor,
                kind=ActivityKind.DELETE,
                obj=customer,
                code="customer.deleted",
                params={"name": customer.name},
            )
            trash_keep(obj=customer, actor=actor)
            customer.delete()
    except ProtectedError as exc:
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        raise ValidationError(
            _("Nie można usunąć klienta, który ma: %(kinds)s. Najpierw usuń je lub przenieś do innego klienta.")
            % {"kinds": ", ".join(kinds)}
        ) from exc


@transaction.atomic
def customer_groups_set(*, customer: Customer, actor: User, groups: Iterable[ContactGroup]) -> None:
    customer_update(customer=customer, actor=actor, data={}, groups=list(groups))


@transaction.atomic
def customer_group_create(*, customer: Customer, actor: User, name: str, color: str) -> ContactGroup:
    """A new group made on the customer card, attached to that customer at once
    (an existing group of that name, any letter case, is reused)."""
    name = " ".join((name or "").split())
    errors: dict[str, Any] = {}
    if not name:
        errors["name"] = _("Podaj nazwę grupy.")
    elif len(name) > 100:
        errors["name"] = _("Nazwa grupy może mieć najwyżej 100 znaków.")
    group = ContactGroup.objects.filter(name__iexact=name).first() if name and not errors else None
    if group is None and not errors:
        group = ContactGroup(name=name, color=color or "#6c757d")
        try:
            group.full_clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    assert group is not None
    if group.pk is None:
        group.position = (
            ContactGroup.objects.order_by("-position").values_list("position", flat=True).first() or 0
        ) + 1
        group.save()
        params = {"name": group.name}
        activity_record(actor=actor, kind=ActivityKind.CREATE, obj=group, code="category.created", params=params)
    if not customer.groups.filter(pk=group.pk).exists():
        customer.groups.add(group)
        params = {"name": customer.name, "group": group.name}
        record_event(
            obj=customer,
            kind="customer_changed",
            message=_("Dodano do grupy %(name)s") % {"name": group.name},
            actor=actor,
            code="customer.group_added",
            params=params,
        )
        activity_record(actor=actor, kind=ActivityKind.UPDATE, obj=customer, code="customer.group_added", params=params)
    return group


@transaction.atomic
def customer_follow_toggle(*, customer: Customer, user: User) -> bool:
    """Follow or stop following; returns whether the user follows now."""
    if customer.followers.filter(pk=user.pk).exists():
        customer.followers.remove(user)
        return False
    customer.followers.add(user)
    return True


def customer_contacted(*, customer: Customer, actor: User | None, at: datetime | None = None) -> None:
    """ "Ostatni kontakt" is now (or `at`: a call or meeting noted later never moves it back)."""
    at = at or timezone.now()
    if customer.last_contact_at is not None and customer.last_contact_at >= at:
        return
    customer.last_contact_at = at
    customer.save(update_fields=["last_contact_at", "updated_at"])


# --- Contact persons ---------------------------------------------------------------


def _customer_search_contacts_refresh(customer: Customer) -> None:
    """The customer is found by its contact persons' names, e-mails and phones too."""
    rows = customer.contacts.order_by("id").values_list("name", "email", "phone")
    customer.contacts_search_text = contacts_search_text(rows)
    customer.save(update_fields=["contacts_search_text"])


def _contact_clean(data: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {k: (str(v or "").strip()) for k, v in data.items() if k in CONTACT_FIELDS}
    if "custom_fields" in data:  # checked by type where it came in (crm.customfields.values)
        clean["custom_fields"] = dict(data["custom_fields"] or {})
    if "name" in clean:
        clean["name"] = " ".join(clean["name"].split())
        if not clean["name"]:
            raise ValidationError({"name": _("Podaj imię i nazwisko osoby kontaktowej.")})
    if "email" in clean:
        clean["email"] = clean["email"].lower()
    return clean


def portal_permissions_clean(value: object) -> list[str]:
    """The portal permissions named in `value` (a list, or a text separated by commas), in
    their fixed order; ValidationError on `portal_permissions` naming an unknown one."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise ValidationError({"portal_permissions": _("Podaj listę uprawnień.")})
    names = {str(item).strip() for item in items if str(item).strip()}
    unknown = sorted(names - set(PortalPermission.values))
    if unknown:
        raise ValidationError(
            {
                "portal_permissions": _("Nieznane uprawnienie: %(names)s. Dozwolone: %(allowed)s.")
                % {"names": ", ".join(unknown), "allowed": ", ".join(PortalPermission.values)}
            }
        )
    return [name for name in PortalPermission.values if name in names]


def _portal_apply(contact: ContactPerson, data: dict[str, Any]) -> bool:
    """Set the portal fields given in `data`; True when the portal was just switched on."""
    # From the database: a model form has already copied the new values onto `contact`.
    was_enabled = bool(contact.pk) and ContactPerson.objects.filter(pk=contact.pk, portal_enabled=True).exists()
    if "portal_permissions" in data:
        contact.portal_permissions = portal_permissions_clean(data["portal_permissions"])
    if "portal_own_tickets_only" in data:
        contact.portal_own_tickets_only = bool(data["portal_own_tickets_only"])
    if "portal_enabled" in data:
        contact.portal_enabled = bool(data["portal_enabled"])
    # Without an e-mail the portal stays closed (nobody can sign in, no invitation goes out).
    if contact.portal_enabled and contact.email:
        taken = (
            ContactPerson.objects.filter(email__iexact=contact.email, portal_enabled=True)
            .exclude(pk=contact.pk)
            .exists()
        )
        if taken:
            raise ValidationError(
                {"portal_enabled": _("Inna osoba kontaktowa z tym adresem e-mail ma już dostęp do portalu.")}
            )
    return contact.portal_enabled and not was_enabled


@transaction.atomic
def contact_create(*, customer: Customer, actor: User | None, data: dict[str, Any]) -> ContactPerson:
    if customer.kind != CustomerKind.COMPANY:
        raise ValidationError(_("Osoby kontaktowe można dodać tylko do klienta będącego firmą."))
    contact = ContactPerson(customer=customer, **_contact_clean(data))
    switched_on = _portal_apply(contact, data)
    contact.full_clean(exclude=["customer"])
    contact.save()
    if switched_on:
        for listener in portal_enabled_listeners:
            listener(contact.pk)
    _customer_search_contacts_refresh(customer)
    record_event(
        obj=customer,
        kind="contact_added",
        message=_("Dodano osobę kontaktową %(name)s") % {"name": contact.name},
        actor=actor,
        code="contact.created",
        params={"name": contact.name},
    )
    activity_record(
        actor=actor, kind=ActivityKind.CREATE, obj=contact, code="contact.created", params={"name": contact.name}
    )
    return contact


@transaction.atomic
def contact_update(*, contact: ContactPerson, actor: User | None, data: dict[str, Any]) -> ContactPerson:
    clean = _contact_clean(data)
    keys = [*clean, *(key for key in PORTAL_FIELDS if key in data)]
    before = {key: getattr(contact, key) for key in keys}
    for key, value in clean.items():
        setattr(contact, key, value)
    switched_on = _portal_apply(contact, data)
    contact.full_clean(exclude=["customer"])
    contact.save()
    _customer_search_contacts_refresh(contact.customer)
    changes = field_changes(before, {key: getattr(contact, key) for key in keys})
    if changes:
        params = {"name": contact.name, "changes": changes}
        activity_record(actor=actor, kind=ActivityKind.UPDATE, obj=contact, code="contact.updated", params=params)
    if switched_on:
        for listener in portal_enabled_listeners:
            listener(contact.pk)
    return contact


@transaction.atomic
def contact_delete(*, contact: ContactPerson, actor: User) -> None:
    customer = contact.customer
    name = contact.name
    activity_record(actor=actor, kind=ActivityKind.DELETE, obj=contact, code="contact.deleted", params={"name": name})
    trash_keep(obj=contact, actor=actor)
    contact.delete()
    _customer_search_contacts_refresh(customer)
    record_event(
        obj=customer,
        kind="contact_removed",
        message=_("Usunięto osobę kontaktową %(name)s") % {"name": name},
        actor=actor,
        code="contact.deleted",
        params={"name": name},
    )
