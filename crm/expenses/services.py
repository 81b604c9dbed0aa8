"""Writes of expenses. Pages and the API call these, so the rules hold everywhere:

- a name and a date (1900–2200) are required; amounts follow `crm.expenses.amounts`;
- a billable expense needs a customer; the customer must be one the person may see;
- a Pracownik records expenses as his own (owner: himself); Szef and Kierownik may name
  anyone active; a Pracownik changes and deletes only his own (`expense_change_check`);
- an expense on an invoice keeps its amounts, currency, customer and billable flag, and
  cannot be deleted (correct the invoice first);
- the receipt is a PDF or an image within the upload limit, stored in the company's own
  media area; a replaced or deleted receipt's file goes after the commit.

Every write lands in the activity log in the same transaction.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from crm.accounts.access import is_manager
from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record, field_changes
from crm.common.params import DATE_MAX, DATE_MIN
from crm.common.uploads import ALLOWED_TYPES, attachment_check
from crm.contacts.selectors import customers_visible_to
from crm.contacts.validators import nip_normalise
from crm.documents.models import PaymentMethod
from crm.expenses.amounts import expense_amounts
from crm.expenses.models import Expense
from crm.expenses.selectors import expense_change_check
from crm.trash.services import trash_keep
from tenants.db import connection, on_public_schema

EDITABLE_FIELDS = (
    "name",
    "description",
    "category",
    "date",
    "amount",
    "vat_rate",
    "vat_amount",
    "gross_amount",
    "currency",
    "supplier",
    "supplier_tax_id",
    "payment_method",
    "reference_number",
    "customer",
    "billable",
    "owner",
)
AMOUNT_FIELDS = ("amount", "vat_rate", "vat_amount", "gross_amount")
# What an invoice already shows: fixed once the expense is on one.
LOCKED_WHEN_INVOICED = ("amount", "vat_rate", "vat_amount", "gross_amount", "currency", "customer", "billable")
RECEIPT_TYPES = {ext: ALLOWED_TYPES[ext] for ext in (".pdf", ".jpg", ".jpeg", ".png", ".webp", ".gif")}


def _shown(expense: Expense) -> dict[str, str]:
    """The editable fields as the activity log shows them."""
    shown = {}
    for name in EDITABLE_FIELDS:
        value = getattr(expense, name)
        if name == "vat_rate":
            value = expense.get_vat_rate_display()
        elif name == "payment_method":
            value = expense.get_payment_method_display()
        shown[name] = "" if value is None else str(value)
    return shown


def _owner_for(*, actor: User | None, owner: User | None, current: User | None = None) -> User | None:
    """A Pracownik's expenses are his own; Szef and Kierownik name anyone active."""
    if actor is None:
        return owner or current
    if not is_manager(actor):
        if owner is not None and owner.pk != actor.pk and (current is None or owner.pk != current.pk):
            raise ValidationError({"owner": _("Możesz wskazać jako osobę tylko siebie.")})
        return owner or current or actor
    if owner is not None and not owner.is_active:
        raise ValidationError({"owner": _("Wybierz aktywną osobę.")})
    return owner or current or actor


def _rules_check(expense: Expense, *, actor: User | None, customer_changed: bool) -> None:
    """Raise a ValidationError (per field) when the expense breaks a rule; tidy its text."""
    errors: dict[str, str] = {}
    expense.name = (expense.name or "").strip()
    if not expense.name:
        errors["name"] = _("Podaj nazwę wydatku.")
    if expense.date is None:
        errors["date"] = _("Podaj datę wydatku.")
    elif not DATE_MIN <= expense.date <= DATE_MAX:
        errors["date"] = _("Podaj datę z lat %(min)s–%(max)s.") % {"min": DATE_MIN.year, "max": DATE_MAX.year}
    expense.currency = (expense.currency or "").strip().upper()
    if len(expense.currency) != 3 or not (expense.currency.isascii() and expense.currency.isalpha()):
        errors["currency"] = _("Podaj kod waluty z trzech wielkich liter, np. PLN lub EUR.")
    if expense.payment_method not in PaymentMethod.values:
        errors["payment_method"] = _("Wybierz sposób płatności z listy.")
    expense.supplier = (expense.supplier or "").strip()
    expense.reference_number = (expense.reference_number or "").strip()
    try:
        expense.supplier_tax_id = nip_normalise(expense.supplier_tax_id)
    except ValidationError as exc:
        errors["supplier_tax_id"] = " ".join(exc.messages)
    if expense.billable and expense.customer_id is None:
        errors["billable"] = _("Wydatek do refakturowania musi mieć klienta.")
    if (
        customer_changed
        and expense.customer_id is not None
        and actor is not None
        and not customers_visible_to(actor).filter(pk=expense.customer_id).exists()
    ):
        errors["customer"] = _("Wybierz klienta z listy.")
    if errors:
        raise ValidationError(errors)


def _amounts_apply(expense: Expense, changes: dict[str, Any], *, creating: bool) -> None:
    """Net, VAT and gross from what was given: a changed net or rate recomputes the VAT
    unless it is given too; a gross alone gives the net."""
    if not creating and not any(name in changes for name in AMOUNT_FIELDS):
        return
    vat_rate = changes.get("vat_rate") or expense.vat_rate
    if "amount" in changes:
        net = changes["amount"]
    elif creating or changes.get("gross_amount") is not None:
        net = None
    else:
        net = expense.amount
    amounts = expense_amounts(
        vat_rate=vat_rate, net=net, gross=changes.get("gross_amount"), vat=changes.get("vat_amount")
    )
    expense.vat_rate = vat_rate
    expense.amount, expense.vat_amount, expense.gross_amount = amounts.net, amounts.vat, amounts.gross


def _invoiced_check(expense: Expense, before: dict[str, Any]) -> None:
    changed = [name for name in LOCKED_WHEN_INVOICED if before[name] != _raw(expense, name)]
    if changed:
        message = _("Ten wydatek jest już na fakturze: kwot, waluty, klienta ani refakturowania nie można zmienić.")
        raise ValidationError({name: message for name in changed})


def _raw(expense: Expense, name: str) -> Any:
    return getattr(expense, f"{name}_id") if name == "customer" else getattr(expense, name)


@transaction.atomic
def expense_create(
    *,
    actor: User | None,
    name: str,
    receipt: UploadedFile | None = None,
    **fields: Any,
) -> Expense:
    """A new expense recorded by `actor` (its owner unless Szef or Kierownik names another)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"expense_create got unknown fields: {sorted(unknown)}")
    fields.setdefault("date", timezone.localdate())
    amounts = {name: fields.pop(name) for name in AMOUNT_FIELDS if name in fields}
    owner = _owner_for(actor=actor, owner=fields.pop("owner", None))
    expense = Expense(name=name, created_by=actor, owner=owner, **fields)
    _amounts_apply(expense, amounts, creating=True)
    _rules_check(expense, actor=actor, customer_changed=True)
    expense.save()
    params = {"name": expense.name}
    activity_record(actor=actor, kind=ActivityKind.CREATE, obj=expense, code="expense.created", params=params)
    if receipt is not None:
        expense_receipt_set(expense=expense, actor=actor, upload=receipt)
    return expense


@transaction.atomic
def expense_update(
    *,
    expense: Expense,
    actor: User,
    receipt: UploadedFile | None = None,
    receipt_remove: bool = False,
    **changes: Any,
) -> Expense:
    """Change what is given in `changes` (any of EDITABLE_FIELDS); a new `receipt`
    replaces the old one, `receipt_remove` drops it."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"expense_update got unknown fields: {sorted(unknown)}")
    expense = Expense.objects.select_for_update().get(pk=expense.pk)
    expense_change_check(actor, expense)
    before_shown = _shown(expense)
    before = {name: _raw(expense, name) for name in LOCKED_WHEN_INVOICED}
    old_customer_id = expense.customer_id
    amounts = {name: changes.pop(name) for name in AMOUNT_FIELDS if name in changes}
    if "owner" in changes:
        expense.owner = _owner_for(actor=actor, owner=changes.pop("owner"), current=expense.owner)
    for name, value in changes.items():
        setattr(expense, name, value)
    _amounts_apply(expense, amounts, creating=False)
    _rules_check(expense, actor=actor, customer_changed=expense.customer_id != old_customer_id)
    if expense.invoiced_id is not None:
        _invoiced_check(expense, before)
    expense.save()
    changes_shown = field_changes(before_shown, _shown(expense))
    if changes_shown:
        params = {"name": expense.name, "changes": changes_shown}
        activity_record(actor=actor, kind=ActivityKind.UPDATE, obj=expense, code="expense.updated", params=params)
    if receipt is not None:
        expense_receipt_set(expense=expense, actor=actor, upload=receipt)
    elif receipt_remove:
        expense_receipt_remove(expense=expense, actor=actor)
    return expense


@transaction.atomic
def expense_delete(*, expense: Expense, actor: User) -> None:
    expense_change_check(actor, expense)
    if expense.invoiced_id is not None:
        raise ValidationError(_("Ten wydatek jest już na fakturze — nie można go usunąć."))
    activity_record(
        actor=actor, kind=ActivityKind.DELETE, obj=expense, code="expense.deleted", params={"name": expense.name}
    )
    trash_keep(obj=expense, actor=actor)  # with a copy of the receipt: back from Settings > Kosz for 30 days
    _file_remove_after_commit(expense.receipt.storage, expense.receipt.name)
    expense.delete()


# --- the receipt ------------------------------------------------------------------


def _file_remove_after_commit(storage: Storage, name: str | None) -> None:
    """Delete a stored file once the transaction that dropped it commits (in the
    company's media folder: the storage is per company)."""
    if not name:
        return
    tenant = None if on_public_schema() else getattr(connection, "tenant", None)

    def remove() -> None:
        if tenant is not None:
            with tenant_context(tenant):
                storage.delete(name)
        else:
            storage.delete(name)

    transaction.on_commit(remove)


@transaction.atomic
def expense_receipt_set(*, expense: Expense, actor: User | None, upload: UploadedFile) -> Expense:
    """Store `upload` as the expense's receipt (PDF or image, size limit), replacing any."""
    if actor is not None:
        expense_change_check(actor, expense)
    name, content_type = attachment_check(upload, allowed_types=RECEIPT_TYPES, field="receipt")
    old_name = expense.receipt.name
    suffix = PurePosixPath(name).suffix.lower()
    expense.receipt.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
    expense.receipt_name, expense.receipt_content_type, expense.receipt_size = name, content_type, upload.size or 0
    try:
        expense.save(update_fields=["receipt", "receipt_name", "receipt_content_type", "receipt_size", "updated_at"])
        params = {"name": expense.name, "file": name}
        activity_record(actor=actor, kind=ActivityKind.UPDATE, obj=expense, code="expense.receipt_added", params=params)
    except Exception:
        expense.receipt.delete(save=False)
        raise
    _file_remove_after_commit(expense.receipt.storage, old_name)
    return expense


@transaction.atomic
def expense_receipt_remove(*, expense: Expense, actor: User) -> Expense:
    expense_change_check(actor, expense)
    if not expense.receipt:
        return expense
    old_name = expense.receipt.name
    params = {"name": expense.name, "file": expense.receipt_name}
    expense.receipt = ""  # the field takes a file name: none
    expense.receipt_name, expense.receipt_content_type, expense.receipt_size = "", "", None
    expense.save(update_fields=["receipt", "receipt_name", "receipt_content_type", "receipt_size", "updated_at"])
    activity_record(actor=actor, kind=ActivityKind.UPDATE, obj=expense, code="expense.receipt_removed", params=params)
    _file_remove_after_commit(expense.receipt.storage, old_name)
    return expense


# --- billable expenses on invoices (called by the invoices module) ---------------------


def _invoice_model() -> Any:
    """invoicing.Invoice, reached through the relation: this layer never imports crm.invoicing."""
    return Expense._meta.get_field("invoiced").related_model


@transaction.atomic
def expense_mark_invoiced(*, expense: Expense, invoice_id: int, actor: User | None) -> Expense:
    """Record that `expense` was passed on to its customer on invoice `invoice_id`.

    Refused unless the expense is billable, has that invoice's customer and is not on
    another invoice; marking it again for the same invoice changes nothing."""
    expense = Expense.objects.select_for_update().get(pk=expense.pk)
    if expense.invoiced_id == invoice_id:
        return expense
    if expense.invoiced_id is not None:
        raise ValidationError({"invoiced": _("Ten wydatek jest już na innej fakturze.")})
    if not expense.billable or expense.customer_id is None:
        raise ValidationError({"billable": _("Na fakturę można dodać tylko wydatek do refakturowania.")})
    invoice = _invoice_model()._default_manager.filter(pk=invoice_id).values("customer_id", "number").first()
    if invoice is None:
        raise ValidationError({"invoiced": _("Nie ma takiej faktury.")})
    if invoice["customer_id"] != expense.customer_id:
        raise ValidationError({"customer": _("Faktura jest wystawiona na innego klienta niż ten wydatek.")})
    expense.invoiced_id = invoice_id
    expense.save(update_fields=["invoiced", "updated_at"])
    params = {"name": expense.name, "invoice": invoice["number"] or f"#{invoice_id}"}
    activity_record(actor=actor, kind=ActivityKind.UPDATE, obj=expense, code="expense.invoiced", params=params)
    return expense


@transaction.atomic
def expense_release_invoiced(*, expense: Expense, actor: User | None) -> Expense:
    """Take `expense` off its invoice (its line was removed from a draft): billable again."""
    expense = Expense.objects.select_for_update().get(pk=expense.pk)
    if expense.invoiced_id is None:
        return expense
    expense.invoiced_id = None
    expense.save(update_fields=["invoiced", "updated_at"])
    params = {"name": expense.name}
    activity_record(actor=actor, kind=ActivityKind.UPDATE, obj=expense, code="expense.released", params=params)
    return expense
