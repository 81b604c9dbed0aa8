"""Writes of leads (pages, the API, the board, web-to-lead forms and the import call
these, so the rules hold everywhere):

- a lead has a name, and a status from the list (the first open one by default); the
  locked status `lost` needs a reason, the locked status `converted` is set only by
  converting;
- a lead is changed, moved and converted by its owner (or creator), Kierownik or Szef;
  a restricted Pracownik owns what he creates;
- converting, in one transaction: the customer is found by NIP, then by e-mail, or
  created; the contact person is linked or created (for a company); a deal is created
  when asked; what other apps keep on the lead (notes, files, tasks) moves to the
  customer through `lead_convert_hook_register`; the lead becomes `converted`. A lead is
  converted once: a second conversion is refused and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.access import record_owner_for, sees_everything
from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record, field_changes
from crm.categories.models import ContactSource
from crm.common.errors import AppError
from crm.common.events import event_emit
from crm.common.records import record_event
from crm.contacts.models import ContactPerson, Customer, CustomerKind
from crm.contacts.services import contact_create, customer_create
from crm.contacts.validators import nip_digits, nip_normalise
from crm.leads.models import Lead, LeadStatus, LeadStatusCode
from crm.leads.selectors import lead_change_check, lead_status_by_code, lead_status_default
from crm.sales.models import Deal
from crm.sales.services import deal_create
from crm.tasks.models import Task
from crm.tasks.services import task_create
from crm.trash.services import trash_keep

MAX_VALUE = Decimal("999999999999.99")
TEXT_FIELDS = ("name", "company_name", "email", "phone", "tax_id", "position", "description", "lost_reason")
EDITABLE_FIELDS = (*TEXT_FIELDS, "source", "status", "owner", "value", "custom_fields")
LIMITS = {"name": 200, "company_name": 200, "phone": 40, "position": 120, "lost_reason": 500, "description": 20000}


class LeadConvertError(AppError):
    """Why a lead was not converted (already converted, no customer data...)."""


@dataclass(frozen=True)
class Conversion:
    customer: Customer
    contact: ContactPerson | None
    deal: Deal | None
    customer_created: bool


# (lead, conversion, actor) -> None: apps above leads (notes and files) move what they
# keep on the lead to the customer, inside the conversion's transaction.
ConvertHook = Callable[[Lead, Conversion, User | None], None]
_convert_hooks: list[ConvertHook] = []


def lead_convert_hook_register(hook: ConvertHook) -> None:
    if hook not in _convert_hooks:
        _convert_hooks.append(hook)


def _shown(lead: Lead) -> dict[str, str]:
    return {name: "" if getattr(lead, name) is None else str(getattr(lead, name)) for name in EDITABLE_FIELDS}


def _text_clean(lead: Lead, errors: dict[str, str]) -> None:
    for name in TEXT_FIELDS:
        value = getattr(lead, name) or ""
        value = value.strip() if name == "description" else " ".join(str(value).split())
        setattr(lead, name, value)
        limit = LIMITS.get(name)
        if limit and len(value) > limit:
            errors[name] = _("To pole może mieć najwyżej %(n)s znaków.") % {"n": limit}
    lead.email = lead.email.lower()
    if not lead.name:
        errors["name"] = _("Podaj imię i nazwisko albo nazwę leada.")
    if lead.email:
        try:
            validate_email(lead.email)
        except ValidationError:
            errors["email"] = _("Podaj poprawny adres e-mail.")
    if lead.tax_id:
        try:
            lead.tax_id = nip_normalise(lead.tax_id)
        except ValidationError as exc:
            errors["tax_id"] = exc.messages[0]


def _rules_check(lead: Lead, *, converting: bool = False) -> None:
    errors: dict[str, str] = {}
    _text_clean(lead, errors)
    try:
        value = Decimal(lead.value if lead.value is not None else 0)
    except (InvalidOperation, TypeError, ValueError):
        value = Decimal(-1)
    if value < 0:
        errors["value"] = _("Wartość nie może być ujemna.")
    elif value > MAX_VALUE:
        errors["value"] = _("Wartość jest za duża.")
    else:
        lead.value = value
    status = lead.status if lead.status_id else None
    if status is None:
        errors["status"] = _("Wybierz status z listy.")
    elif status.code == LeadStatusCode.LOST and not lead.lost_reason:
        errors["lost_reason"] = _("Podaj powód utraty leada.")
    elif status.code == LeadStatusCode.CONVERTED and not converting and lead.converted_at is None:
        errors["status"] = _("Status „%(name)s” nadaje konwersja leada na klienta.") % {"name": status.name}
    elif status.code != LeadStatusCode.CONVERTED and lead.converted_at is not None:
        errors["status"] = _("Lead jest już skonwertowany na klienta: jego statusu nie można zmienić.")
    if errors:
        raise ValidationError(errors)


def _log(lead: Lead, actor: User | None, *, kind: str, code: str, params: dict[str, Any]) -> None:
    activity_record(actor=actor, kind=kind, obj=lead, code=code, params=params)


@transaction.atomic
def lead_create(
    *,
    actor: User | None,
    name: str,
    company_name: str = "",
    email: str = "",
    phone: str = "",
    tax_id: str = "",
    position: str = "",
    description: str = "",
    source: ContactSource | None = None,
    status: LeadStatus | None = None,
    lost_reason: str = "",
    owner: User | None = None,
    value: Decimal | None = None,
    custom_fields: dict[str, Any] | None = None,
) -> Lead:
    """A new lead owned by `actor` unless told otherwise (a restricted Pracownik owns what
    he creates); the first open status unless given."""
    owner = record_owner_for(actor=actor, owner=owner if owner is not None else actor)
    lead = Lead(
        name=name,
        company_name=company_name,
        email=email,
        phone=phone,
        tax_id=tax_id,
        position=position,
        description=description,
        source=source,
        status=status or lead_status_default(),
        lost_reason=lost_reason,
        owner=owner,
        value=value if value is not None else Decimal(0),
        custom_fields=dict(custom_fields or {}),
        created_by=actor if actor is not None and actor.pk else None,
    )
    _rules_check(lead)
    lead.save()
    _log(lead, actor, kind=ActivityKind.CREATE, code="lead.created", params={"name": lead.name})
    event_emit("lead.created", lead, actor=actor, source_id=lead.source_id)
    return lead


@transaction.atomic
def lead_update(*, lead: Lead, actor: User | None, **changes: Any) -> Lead:
    """Change any of EDITABLE_FIELDS; a converted lead keeps its status."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"lead_update got unknown fields: {sorted(unknown)}")
    lead = Lead.objects.select_for_update(of=("self",)).select_related("status").get(pk=lead.pk)
    if actor is not None:
        lead_change_check(actor, lead)
    before = _shown(lead)
    if "owner" in changes:
        changes["owner"] = record_owner_for(actor=actor, owner=changes["owner"])
    if "custom_fields" in changes:  # checked by type where it came in (crm.customfields.values)
        changes["custom_fields"] = dict(changes["custom_fields"] or {})
    for name, value in changes.items():
        setattr(lead, name, "" if value is None and name in TEXT_FIELDS else value)
    _rules_check(lead)
    if lead.status.code != LeadStatusCode.LOST:
        lead.lost_reason = ""
    lead.save()
    changed = field_changes(before, _shown(lead))
    if changed:
        _log(lead, actor, kind=ActivityKind.UPDATE, code="lead.updated", params={"name": lead.name, "changes": changed})
        event_emit("lead.updated", lead, actor=actor)
    return lead


def lead_status_set(*, lead: Lead, actor: User, status: LeadStatus, lost_reason: str = "") -> Lead:
    """Move a lead to another status (the board's drag and drop)."""
    changes: dict[str, Any] = {"status": status}
    if lost_reason:
        changes["lost_reason"] = lost_reason
    return lead_update(lead=lead, actor=actor, **changes)


@transaction.atomic
def lead_delete(*, lead: Lead, actor: User) -> None:
    """Delete a lead; it goes to the trash (Szef restores it)."""
    lead = Lead.objects.select_for_update(of=("self",)).get(pk=lead.pk)
    lead_change_check(actor, lead)
    _log(lead, actor, kind=ActivityKind.DELETE, code="lead.deleted", params={"name": lead.name})
    trash_keep(obj=lead, actor=actor)
    lead.delete()


def lead_task_add(*, lead: Lead, actor: User, title: str, due_at: Any = None) -> Task:
    """A task about the lead, assigned to its owner (or the actor); it moves to the customer
    when the lead is converted."""
    lead_change_check(actor, lead)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Podaj tytuł zadania.")})
    if lead.converted_at is not None:
        raise ValidationError(_("Lead jest już skonwertowany: dodaj zadanie u klienta."))
    return task_create(actor=actor, title=title[:200], due_at=due_at, lead=lead, assignee=lead.owner or actor)


def lead_customer_match(lead: Lead) -> Customer | None:
    """The existing customer a lead converts into: the one with its NIP, else its e-mail."""
    digits = nip_digits(lead.tax_id)
    if digits:
        found = Customer.objects.filter(tax_id=digits).order_by("id").first()
        if found is not None:
            return found
    if lead.email:
        return Customer.objects.filter(email=lead.email.lower()).order_by("id").first()
    return None


def _contact_for(customer: Customer, lead: Lead, actor: User | None) -> ContactPerson | None:
    """The contact person of a company customer for the lead's person: an existing one
    with the same e-mail (or name), else a new one. None for a person customer, or when
    the lead names only a company."""
    if customer.kind != CustomerKind.COMPANY or not lead.company_name or lead.name == customer.name:
        return None
    existing = customer.contacts.all()
    match = existing.filter(email=lead.email).first() if lead.email else None
    if match is None:
        match = existing.filter(name__iexact=lead.name).first()
    if match is not None:
        return match
    data = {"name": lead.name, "email": lead.email, "phone": lead.phone, "position": lead.position}
    return contact_create(customer=customer, actor=actor, data=data)


def lead_convert(
    *,
    lead: Lead,
    actor: User | None,
    create_deal: bool = False,
    deal_name: str = "",
    deal_value: Decimal | None = None,
) -> Conversion:
    """Turn a lead into a customer (found by NIP or e-mail, or created), its contact
    person and optionally a deal, in one transaction; refused for a converted lead."""
    with transaction.atomic():
        lead = (
            Lead.objects.select_for_update(of=("self",))
            .select_related("status", "source", "owner")
            .filter(pk=lead.pk)
            .first()
        ) or lead
        if actor is not None:
            lead_change_check(actor, lead)
        if lead.converted_at is not None:
            raise LeadConvertError(
                _("Ten lead został już skonwertowany na klienta „%(name)s”. Konwersji nie można powtórzyć.")
                % {"name": lead.converted_customer.name if lead.converted_customer else "—"}
            )
        converted = lead_status_by_code(LeadStatusCode.CONVERTED)
        if converted is None:
            raise LeadConvertError(_("Brakuje statusu „skonwertowany” na liście statusów leadów."))
        if deal_value is not None and (deal_value < 0 or deal_value > MAX_VALUE):
            raise LeadConvertError(_("Podaj wartość szansy sprzedaży od 0 do 999 999 999 999,99."), field="deal_value")
        deal_name = " ".join((deal_name or "").split())
        if len(deal_name) > 200:
            raise LeadConvertError(_("Nazwa szansy sprzedaży może mieć najwyżej 200 znaków."), field="deal_name")
        owner = lead.owner
        if actor is not None and not sees_everything(actor):
            owner = actor
        customer = lead_customer_match(lead)
        created = customer is None
        if customer is None:
            kind = CustomerKind.COMPANY if lead.company_name else CustomerKind.PERSON
            data = {
                "kind": kind,
                "name": lead.company_name or lead.name,
                "email": lead.email,
                "phone": lead.phone,
                "tax_id": lead.tax_id,
                "source": lead.source,
                "owner": owner,
            }
            customer = customer_create(actor=actor, data=data, allow_duplicate=True)
        contact = _contact_for(customer, lead, actor)
        deal = None
        if create_deal:
            deal = deal_create(
                actor=actor,
                name=deal_name or customer.name,
                customer=customer,
                value=deal_value if deal_value is not None else lead.value,
                owner=owner,
            )
        conversion = Conversion(customer=customer, contact=contact, deal=deal, customer_created=created)
        moved: dict[str, Any] = {"lead": None, "customer": customer}
        if deal is not None:
            moved["deal"] = deal
        Task.objects.filter(lead=lead).update(**moved)
        for hook in _convert_hooks:
            hook(lead, conversion, actor)
        lead.status = converted
        lead.lost_reason = ""
        lead.converted_customer = customer
        lead.converted_contact = contact
        lead.converted_deal = deal
        lead.converted_at = timezone.now()
        lead.save()
        params = {"name": lead.name, "customer": customer.name}
        _log(lead, actor, kind=ActivityKind.OTHER, code="lead.converted", params=params)
        record_event(
            obj=customer,
            actor=actor,
            kind="lead_converted",
            message=_("Lead „%(name)s” skonwertowano na klienta „%(customer)s”.") % params,
            code="lead.converted",
            params=params,
        )
    return conversion
