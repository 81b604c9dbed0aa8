"""Writes of contracts (pages, the API, the public page and the daily job call these, so
the rules hold everywhere):

- a contract is created as a draft and changed by its owner, Kierownik or Szef; the end
  is not before the start; a signed contract's content no longer changes (its SHA-256
  was recorded), only its status (active, expired, terminated);
- sending e-mails the customer the link to the public page (/c/<token>/), where the
  customer signs once with a typed name: the time, the address and the SHA-256 of the
  text signed are recorded;
- a renewal is a new draft copied from the contract with new dates, linked to it;
- the owner is reminded N days (Settings) before the end, once per end date.
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
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
from crm.common.errors import AppError
from crm.common.params import date_check
from crm.common.records import record_event
from crm.contacts.models import Customer
from crm.contacts.selectors import customers_visible_to
from crm.contracts.emails import contract_email_send, contract_owner, contract_reminder_send
from crm.contracts.models import Contract, ContractSettings, ContractStatus, ContractType
from crm.contracts.selectors import (
    RUNNING,
    SIGNABLE,
    contract_change_check,
    contract_hash,
    contracts_to_remind,
)
from crm.sales.models import Deal
from crm.sales.selectors import deals_visible_to
from crm.trash.services import trash_keep

logger = logging.getLogger(__name__)

CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
MAX_VALUE = Decimal("999999999999.99")
MAX_RECIPIENTS = 10
NAME_MIN = 3
NAME_MAX = 200
CONTENT_FIELDS = ("subject", "customer", "deal", "type", "value", "currency", "start_date", "end_date", "description")
EDITABLE_FIELDS = (*CONTENT_FIELDS, "owner", "status")
# Statuses staff set by hand; "sent" and "signed" come from sending and the signature.
MANUAL_STATUSES = (ContractStatus.DRAFT, ContractStatus.ACTIVE, ContractStatus.EXPIRED, ContractStatus.TERMINATED)


class ContractSignError(AppError):
    """Why the customer's signature was not taken (a message for the customer)."""


def _shown(contract: Contract) -> dict[str, str]:
    shown = {}
    for name in EDITABLE_FIELDS:
        value = getattr(contract, name)
        shown[name] = "" if value is None else value.isoformat() if isinstance(value, date) else str(value)
    return shown


def _rules_check(contract: Contract, actor: User | None) -> None:
    """A ValidationError per field, in the user's language, when the contract breaks a rule."""
    errors: dict[str, str] = {}
    if not (contract.subject or "").strip():
        errors["subject"] = _("Podaj przedmiot umowy.")
    elif len(contract.subject) > 200:
        errors["subject"] = _("Przedmiot umowy może mieć najwyżej 200 znaków.")
    if not CURRENCY_RE.match(contract.currency or ""):
        errors["currency"] = _("Podaj kod waluty z trzech wielkich liter, np. PLN lub EUR.")
    if contract.value is None or contract.value < 0:
        errors["value"] = _("Wartość umowy nie może być ujemna.")
    elif contract.value > MAX_VALUE:
        errors["value"] = _("Wartość umowy jest za duża.")
    if contract.start_date is None:
        errors["start_date"] = _("Podaj datę rozpoczęcia umowy.")
    for name in ("start_date", "end_date"):
        try:
            date_check(getattr(contract, name))
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    if (
        "end_date" not in errors
        and contract.end_date
        and contract.start_date
        and contract.end_date < contract.start_date
    ):
        errors["end_date"] = _("Data zakończenia nie może być wcześniejsza niż data rozpoczęcia.")
    everything = actor is None or sees_everything(actor)
    if not everything and actor is not None:
        if not customers_visible_to(actor, everything=False).filter(pk=contract.customer_id).exists():
            errors["customer"] = _("Wybierz klienta z listy.")
        if contract.deal_id and not deals_visible_to(actor, everything=False).filter(pk=contract.deal_id).exists():
            errors["deal"] = _("Wybierz szansę sprzedaży z listy.")
    if (
        "deal" not in errors
        and contract.deal_id
        and contract.deal is not None
        and contract.deal.customer_id != contract.customer_id
    ):
        errors["deal"] = _("Wybrana szansa sprzedaży należy do innego klienta.")
    if errors:
        raise ValidationError(errors)


def _log(contract: Contract, actor: User | None, *, kind: str, code: str, params: dict[str, Any]) -> None:
    activity_record(actor=actor, kind=kind, obj=contract, code=code, params=params)


@transaction.atomic
def contract_create(
    *,
    actor: User | None,
    customer: Customer,
    subject: str,
    start_date: date | None = None,
    end_date: date | None = None,
    deal: Deal | None = None,
    type: ContractType | None = None,  # the field's name in the API contract
    value: Decimal | None = None,
    currency: str = "",
    description: str = "",
    owner: User | None = None,
    status: str = ContractStatus.DRAFT,
    renewed_from: Contract | None = None,
) -> Contract:
    """A draft contract owned by `actor` unless told otherwise (a restricted Pracownik owns
    what he creates, for a customer he sees)."""
    owner = record_owner_for(actor=actor, owner=owner if owner is not None else actor)
    if status not in MANUAL_STATUSES:
        raise ValidationError({"status": _("Status „wysłana” i „podpisana” nadaje wysłanie i podpis klienta.")})
    contract = Contract(
        subject=(subject or "").strip(),
        customer=customer,
        deal=deal,
        type=type,
        owner=owner,
        value=value if value is not None else Decimal(0),
        currency=(currency or (deal.currency if deal is not None else "") or "PLN").upper(),
        start_date=start_date or timezone.localdate(),
        end_date=end_date,
        description=(description or "").strip(),
        status=status,
        renewed_from=renewed_from,
        created_by=actor if actor is not None and actor.pk else None,
    )
    _rules_check(contract, actor)
    contract.save()
    _log(
        contract,
        actor,
        kind=ActivityKind.CREATE,
        code="contract.created",
        params={"name": contract.subject, "customer": customer.name},
    )
    return contract


@transaction.atomic
def contract_update(*, contract: Contract, actor: User | None, **changes: Any) -> Contract:
    """Change any of EDITABLE_FIELDS; a signed contract keeps its content."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"contract_update got unknown fields: {sorted(unknown)}")
    contract = (
        Contract.objects.select_for_update(of=("self",)).select_related("deal", "customer", "type").get(pk=contract.pk)
    )
    if actor is not None:
        contract_change_check(actor, contract)
    before = _shown(contract)
    if "owner" in changes:
        changes["owner"] = record_owner_for(actor=actor, owner=changes["owner"])
    signed = contract.signed_at is not None
    for name, value in changes.items():
        setattr(contract, name, value)
    contract.subject = (contract.subject or "").strip()
    contract.currency = (contract.currency or "").upper()
    contract.description = (contract.description or "").strip()
    after = _shown(contract)
    if signed and any(before[name] != after[name] for name in CONTENT_FIELDS):
        raise ValidationError(_("Umowa jest podpisana: jej treści nie można już zmienić. Utwórz odnowienie."))
    if after["status"] != before["status"] and contract.status not in MANUAL_STATUSES:
        raise ValidationError({"status": _("Status „wysłana” i „podpisana” nadaje wysłanie i podpis klienta.")})
    if signed and contract.status == ContractStatus.DRAFT:
        raise ValidationError({"status": _("Podpisana umowa nie może wrócić do szkicu.")})
    _rules_check(contract, actor)
    if before["end_date"] != after["end_date"]:
        contract.reminded_at = None  # a new end: a new reminder
    contract.save()
    changed = field_changes(before, after)
    if changed:
        params = {"name": contract.subject, "changes": changed}
        _log(contract, actor, kind=ActivityKind.UPDATE, code="contract.updated", params=params)
    return contract


@transaction.atomic
def contract_delete(*, contract: Contract, actor: User) -> None:
    """Delete a contract that is not signed; it goes to the trash (Szef restores it)."""
    contract = Contract.objects.select_for_update(of=("self",)).get(pk=contract.pk)
    contract_change_check(actor, contract)
    if contract.signed_at is not None:
        raise ValidationError(_("Podpisanej umowy nie można usunąć; można ją rozwiązać."))
    _log(contract, actor, kind=ActivityKind.DELETE, code="contract.deleted", params={"name": contract.subject})
    trash_keep(obj=contract, actor=actor)
    contract.delete()


def recipients_clean(raw: str | Sequence[str]) -> list[str]:
    """E-mail addresses from a list or a text separated by commas, semicolons or spaces."""
    items = re.split(r"[,;\s]+", raw) if isinstance(raw, str) else list(raw)
    found: list[str] = []
    for item in items:
        address = (item or "").strip()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                {"to": _("„%(address)s” nie jest poprawnym adresem e-mail.") % {"address": address}}
            ) from None
        if address.lower() not in {a.lower() for a in found}:
            found.append(address)
    if not found:
        raise ValidationError({"to": _("Podaj adres e-mail klienta.")})
    if len(found) > MAX_RECIPIENTS:
        raise ValidationError({"to": _("Podaj najwyżej %(n)s adresów.") % {"n": MAX_RECIPIENTS}})
    return found


def contract_send(*, contract: Contract, actor: User, to: str | Sequence[str], message: str = "") -> Contract:
    """E-mail the customer the link to the contract's public page; a draft becomes "sent",
    a sent one may be sent again. If the e-mail cannot be sent, nothing changes."""
    recipients = recipients_clean(to)
    with transaction.atomic():
        contract = (
            Contract.objects.select_for_update(of=("self",)).select_related("customer", "owner").get(pk=contract.pk)
        )
        contract_change_check(actor, contract)
        if contract.status not in (ContractStatus.DRAFT, *SIGNABLE):
            raise ValidationError(
                _("Umowy o statusie „%(status)s” nie można już wysłać do podpisu.")
                % {"status": contract.get_status_display()}
            )
        contract.status = ContractStatus.SENT
        contract.sent_at = timezone.now()
        contract.save(update_fields=["status", "sent_at", "updated_at"])
        try:
            contract_email_send(contract=contract, to=recipients, message=message, sender=actor)
        except (smtplib.SMTPException, OSError) as exc:
            raise ValidationError(
                _("Nie udało się wysłać e-maila (%(error)s). Umowa nie została wysłana.") % {"error": str(exc)[:200]}
            ) from exc
        params = {"name": contract.subject, "to": ", ".join(recipients)}
        _log(contract, actor, kind=ActivityKind.OTHER, code="contract.sent", params=params)
        record_event(
            obj=contract,
            actor=actor,
            kind="contract_sent",
            message=_("Wysłano umowę „%(name)s” do %(to)s.") % params,
            code="contract.sent",
            params=params,
        )
    return contract


def contract_sign(*, contract: Contract, name: str, ip: str | None, shown_hash: str = "") -> Contract:
    """The customer signs on the public page: once, with a typed full name; the time, the
    address and the SHA-256 of the text signed are recorded. `shown_hash` (the page's) must
    match the current text: a contract changed since the page was opened is not signed."""
    name = " ".join((name or "").split())
    if len(name) < NAME_MIN:
        raise ContractSignError(_("Wpisz imię i nazwisko (co najmniej 3 znaki)."), field="name")
    if len(name) > NAME_MAX:
        raise ContractSignError(_("Imię i nazwisko może mieć najwyżej 200 znaków."), field="name")
    with transaction.atomic():
        contract = (
            Contract.objects.select_for_update(of=("self",)).select_related("customer", "type").get(pk=contract.pk)
        )
        if contract.signed_at is not None:
            raise ContractSignError(_("Ta umowa została już podpisana. Podpisu nie można złożyć ponownie."))
        if contract.status not in SIGNABLE:
            raise ContractSignError(_("Ta umowa nie czeka na podpis."))
        digest = contract_hash(contract)
        if shown_hash and shown_hash != digest:
            raise ContractSignError(_("Treść umowy zmieniła się od otwarcia strony. Przeczytaj ją ponownie."))
        contract.status = ContractStatus.SIGNED
        contract.signed_at = timezone.now()
        contract.signed_by = name
        contract.signed_ip = ip
        contract.signed_hash = digest
        contract.save(update_fields=["status", "signed_at", "signed_by", "signed_ip", "signed_hash", "updated_at"])
        params = {"name": contract.subject, "signer": name}
        activity_record(
            actor=None,
            kind=ActivityKind.OTHER,
            obj=contract,
            code="contract.signed",
            params=params,
            user_label=name[:254],
            ip=ip,
        )
        record_event(
            obj=contract,
            actor=None,
            kind="contract_signed",
            message=_("Umowę „%(name)s” podpisał(a) %(signer)s.") % params,
            code="contract.signed",
            params=params,
        )
    return contract


@transaction.atomic
def contract_renew(*, contract: Contract, actor: User, start_date: date | None, end_date: date | None) -> Contract:
    """A new draft with the contract's content and new dates, linked to it (`renewed_from`)."""
    contract_change_check(actor, contract)
    if start_date is None:
        raise ValidationError({"start_date": _("Podaj datę rozpoczęcia umowy.")})
    renewal = contract_create(
        actor=actor,
        customer=contract.customer,
        subject=contract.subject,
        start_date=start_date,
        end_date=end_date,
        deal=contract.deal,
        type=contract.type,
        value=contract.value,
        currency=contract.currency,
        description=contract.description,
        owner=contract.owner,
        renewed_from=contract,
    )
    params = {"name": contract.subject, "start": start_date.isoformat()}
    _log(contract, actor, kind=ActivityKind.OTHER, code="contract.renewed", params=params)
    return renewal


def contract_settings_update(*, actor: User, reminder_days: int) -> ContractSettings:
    row = ContractSettings.current()
    if not 1 <= reminder_days <= 365:
        raise ValidationError({"reminder_days": _("Podaj liczbę dni od 1 do 365.")})
    before = row.reminder_days
    row.reminder_days = reminder_days
    row.save(update_fields=["reminder_days"])
    if before != reminder_days:
        activity_record(
            actor=actor,
            kind=ActivityKind.UPDATE,
            code="contract.settings",
            params={"name": "reminder_days", "changes": f"{before} → {reminder_days}"},
        )
    return row


def contracts_remind(today: date | None = None) -> int:
    """Remind the owners of running contracts ending within N days (Settings), once per
    contract and end date; returns how many reminders went out."""
    today = today or timezone.localdate()
    days = ContractSettings.current().reminder_days
    sent = 0
    for pk in list(contracts_to_remind(today, days).values_list("pk", flat=True)):
        with transaction.atomic():
            contract = (
                Contract.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("owner", "created_by", "customer")
                .filter(pk=pk, reminded_at__isnull=True, status__in=RUNNING)
                .first()
            )
            if contract is None:
                continue
            person = contract_owner(contract)
            contract.reminded_at = timezone.now()
            contract.save(update_fields=["reminded_at"])
            if person is None:
                continue
            try:
                contract_reminder_send(contract=contract, person=person)
            except (smtplib.SMTPException, OSError):  # the next day's run tries again
                logger.exception("contract %s: the reminder to the owner failed", contract.pk)
                transaction.set_rollback(True)
                continue
            sent += 1
    return sent


def contracts_advance(today: date | None = None) -> int:
    """Signed contracts whose start came become active; running ones past their end expire."""
    today = today or timezone.localdate()
    started = Contract.objects.filter(status=ContractStatus.SIGNED, start_date__lte=today).update(
        status=ContractStatus.ACTIVE, updated_at=timezone.now()
    )
    ended = Contract.objects.filter(status__in=RUNNING, end_date__lt=today).update(
        status=ContractStatus.EXPIRED, updated_at=timezone.now()
    )
    return started + ended
