"""CSV import of leads through the shared import machinery (crm/contacts/importers.py):
upload, column mapping with preview, the Celery job with progress, limits, the activity
entry, the system log and the "import finished" notification are the customers' ones;
this module says which columns a lead has, how a row is checked and how a chunk is
written.

Duplicates are leads with the same NIP or e-mail (or an earlier row of the file): skipped,
or in "update" mode updated (non-empty columns only) when the importer may change that
lead. Imported leads get an open status (the first one unless a column names another; the
locked "converted" and "lost" statuses are not set by an import). A restricted Pracownik
owns what he imports.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.accounts.access import CustomerAction, customers_action_check
from crm.accounts.models import User
from crm.categories.models import ContactSource
from crm.common.records import record_events
from crm.contacts.importers import ImportField, RecordImporter
from crm.contacts.imports import (
    CHUNK,
    ImportState,
    RowResult,
    existing_by_nip_and_email,
    import_cell,
    import_custom_cells,
    import_norm,
    import_progress_save,
    rows_valid,
)
from crm.contacts.models import DuplicateMode
from crm.contacts.validators import nip_normalise
from crm.customfields.definitions import custom_fields_of
from crm.leads.models import Lead, LeadStatus
from crm.leads.selectors import lead_may_change, lead_status_default, leads_visible_to
from crm.leads.services import MAX_VALUE
from tenants.limits import limit_problem

LEAD_FIELDS: list[ImportField] = [
    ("name", gettext_lazy("Imię i nazwisko"), ("imie i nazwisko", "name", "nazwa", "osoba", "kontakt", "lead")),
    ("company_name", gettext_lazy("Nazwa firmy"), ("firma", "nazwa firmy", "company", "company name")),
    ("email", gettext_lazy("E-mail"), ("e-mail", "email", "mail", "adres e-mail", "adres email")),
    ("phone", gettext_lazy("Telefon"), ("telefon", "phone", "tel", "tel.", "numer telefonu", "komorka")),
    ("tax_id", gettext_lazy("NIP"), ("nip", "tax id", "tax_id", "vat", "vat id")),
    ("position", gettext_lazy("Stanowisko"), ("stanowisko", "position", "job title")),
    ("source", gettext_lazy("Źródło pozyskania"), ("zrodlo", "zrodlo pozyskania", "source")),
    ("status", gettext_lazy("Status"), ("status",)),
    ("value", gettext_lazy("Szacowana wartość"), ("wartosc", "szacowana wartosc", "value")),
    ("owner", gettext_lazy("Opiekun (e-mail)"), ("opiekun", "owner")),
    ("description", gettext_lazy("Opis"), ("opis", "description", "uwagi", "notes")),
]
LEAD_FIELD_KEYS = [key for key, _label, _aliases in LEAD_FIELDS]
MAX_LENGTHS = {"name": 200, "company_name": 200, "phone": 40, "position": 120, "description": 5000}


def lead_import_fields() -> list[ImportField]:
    custom = [(f.param, f.name, (f.key, f.name)) for f in custom_fields_of("lead")]
    return [*LEAD_FIELDS, *custom]


class LeadLookups:
    """Status, source and staff names -> objects, read once per import."""

    def __init__(self) -> None:
        self.statuses = {import_norm(s.name): s for s in LeadStatus.objects.filter(code="")}
        self.sources = {import_norm(s.name): s for s in ContactSource.objects.all()}
        self.owners: dict[str, User] = {}
        for user in User.objects.filter(is_active=True):
            self.owners[user.email.lower()] = user
            if user.name:
                self.owners.setdefault(import_norm(user.name), user)
        self.default_status = lead_status_default()


def _label(key: str) -> str:
    return next(str(label) for k, label, _a in LEAD_FIELDS if k == key).split(" (")[0]


def lead_row_check(row: list[str], number: int, mapping: dict[str, int], lookups: LeadLookups) -> RowResult:
    """One CSV row as lead fields, with every problem named by its column."""
    errors: list[str] = []
    data: dict[str, Any] = {}
    custom = import_custom_cells(row, mapping, errors, "lead")
    if custom:
        data["custom_fields"] = custom
    for key in LEAD_FIELD_KEYS:
        if key not in mapping:
            continue
        value = import_cell(row, mapping, key)
        if key in MAX_LENGTHS and len(value) > MAX_LENGTHS[key]:
            errors.append(_("%(field)s: najwyżej %(max)s znaków.") % {"field": _label(key), "max": MAX_LENGTHS[key]})
            continue
        if key == "name":
            value = " ".join(value.split())
            if not value:
                errors.append(_("Brak imienia i nazwiska leada."))
            data["name"] = value
        elif key == "email":
            value = value.lower()
            if value:
                try:
                    validate_email(value)
                except ValidationError:
                    errors.append(_("E-mail: niepoprawny adres „%(value)s”.") % {"value": value})
            data["email"] = value
        elif key == "tax_id":
            try:
                data["tax_id"] = nip_normalise(value)
            except ValidationError as exc:
                errors.append(f"{_('NIP')}: {' '.join(exc.messages)}")
        elif key == "value":
            if value:
                try:
                    amount = Decimal(value.replace(" ", "").replace("\xa0", "").replace(",", "."))
                except InvalidOperation:
                    amount = Decimal(-1)
                if not amount.is_finite() or amount < 0 or amount > MAX_VALUE:
                    errors.append(_("Szacowana wartość: niepoprawna kwota „%(value)s”.") % {"value": value})
                else:
                    data["value"] = amount.quantize(Decimal("0.01"))
        elif key in ("status", "source"):
            if value:
                table = lookups.statuses if key == "status" else lookups.sources
                obj = table.get(import_norm(value))
                if obj is None:
                    errors.append(
                        _("%(field)s: nie ma takiej pozycji „%(value)s”. Dostępne: %(names)s.")
                        % {"field": _label(key), "value": value, "names": ", ".join(o.name for o in table.values())}
                    )
                else:
                    data[key] = obj
        elif key == "owner":
            if value:
                owner = lookups.owners.get(value.lower()) or lookups.owners.get(import_norm(value))
                if owner is None:
                    errors.append(_("Opiekun: nie ma pracownika „%(value)s”.") % {"value": value})
                else:
                    data["owner"] = owner
        else:
            data[key] = " ".join(value.split()) if key != "description" else value
    return RowResult(number=number, data=data, groups=[], errors=errors)


def lead_chunk_import(state: ImportState, batch: list[tuple[int, list[str]]]) -> None:
    job = state.job
    valid = rows_valid(state, [lead_row_check(row, number, job.mapping, state.lookups) for number, row in batch])
    by_nip, by_email = existing_by_nip_and_email(Lead, valid)
    changeable: set[int] = set()
    if by_nip or by_email:
        found = {lead.pk for lead in [*by_nip.values(), *by_email.values()]}
        if state.user is not None:
            leads = leads_visible_to(state.user, everything=state.everything).filter(pk__in=found)
            changeable = {
                lead.pk for lead in leads.filter(converted_at__isnull=True) if lead_may_change(state.user, lead)
            }

    to_create: list[RowResult] = []
    to_update: dict[int, tuple[Lead, RowResult]] = {}
    for result in valid:
        nip, email = result.data.get("tax_id", ""), result.data.get("email", "")
        earlier = (nip and state.seen_nip.get(nip)) or (email and state.seen_email.get(email))
        if earlier:
            state.note(
                result.number,
                "skipped",
                [_("Powtórzenie wiersza %(row)s (ten sam NIP lub e-mail).") % {"row": earlier}],
            )
            continue
        if nip:
            state.seen_nip[nip] = result.number
        if email:
            state.seen_email[email] = result.number
        match = (nip and by_nip.get(nip)) or (email and by_email.get(email))
        if not match:
            to_create.append(result)
        elif job.duplicate_mode == DuplicateMode.UPDATE and match.pk in changeable:
            to_update[match.pk] = (match, result)
        elif job.duplicate_mode == DuplicateMode.UPDATE:
            state.note(result.number, "error", [_("Lead z tym NIP lub e-mailem już jest i nie możesz go zmienić.")])
        else:
            state.note(result.number, "skipped", [_("Lead z tym NIP lub e-mailem już jest w CRM.")])

    # Rows, their timeline entries and the progress that counts them commit together.
    with transaction.atomic():
        if to_create:
            problem = limit_problem("leads")
            if problem:
                for result in to_create:
                    state.note(result.number, "error", [problem])
                to_create = []
        state.created += _create(state, to_create)
        state.updated += _update(state, list(to_update.values()))
        state.processed += len(batch)
        import_progress_save(state)


def _create(state: ImportState, results: list[RowResult]) -> int:
    if not results:
        return 0
    leads = []
    for result in results:
        data = dict(result.data)
        if not state.everything or "owner" not in data:
            data["owner"] = state.user  # a restricted Pracownik keeps what he imports
        data.setdefault("status", state.lookups.default_status)
        lead = Lead(created_by=state.user, **data)
        lead.search_text_refresh()  # bulk_create does not call save()
        leads.append(lead)
    Lead.objects.bulk_create(leads, batch_size=CHUNK)
    record_events(
        objs=leads,
        kind="lead_imported",
        message=_("Zaimportowano z pliku %(name)s") % {"name": state.job.original_name},
        actor=state.user,
        code="lead.imported",
        params={"file": state.job.original_name},
    )
    return len(leads)


def _update(state: ImportState, pairs: list[tuple[Lead, RowResult]]) -> int:
    if not pairs:
        return 0
    fields: set[str] = set()
    for lead, result in pairs:
        for key, value in result.data.items():
            if key == "owner" and not state.everything:
                continue
            if key == "custom_fields":
                lead.custom_fields = {**(lead.custom_fields or {}), **value}
                fields.add(key)
            elif value not in ("", None):
                setattr(lead, key, value)
                fields.add(key)
        lead.updated_at = timezone.now()
        lead.search_text_refresh()
    Lead.objects.bulk_update([lead for lead, _r in pairs], [*fields, "search_text", "updated_at"], batch_size=CHUNK)
    record_events(
        objs=[lead for lead, _r in pairs],
        kind="lead_changed",
        message=_("Zaktualizowano z pliku %(name)s") % {"name": state.job.original_name},
        actor=state.user,
        code="lead.import_updated",
        params={"file": state.job.original_name},
    )
    return len(pairs)


def _may_import(user: User) -> None:
    customers_action_check(user, CustomerAction.IMPORT)


LEAD_IMPORTER = RecordImporter(
    key="lead",
    namespace="leads",
    list_url="leads:lead_list",
    fields=lead_import_fields,
    required="name",
    required_message=gettext_lazy("Wskaż kolumnę z imieniem i nazwiskiem leada — bez niej nie da się importować."),
    lookups=LeadLookups,
    row_check=lead_row_check,
    chunk_import=lead_chunk_import,
    may_import=_may_import,
    title=gettext_lazy("Import leadów"),
    list_title=gettext_lazy("Leady"),
    duplicate_legend=gettext_lazy("Lead już jest w CRM (ten sam NIP lub e-mail)"),
    fields_hint=gettext_lazy(
        "Rozpoznawane kolumny: imię i nazwisko, nazwa firmy, e-mail, telefon, NIP, stanowisko, źródło, status,"
        " szacowana wartość, opiekun, opis. Kolumny przypiszesz w następnym kroku."
    ),
    go_to_list=gettext_lazy("Przejdź do listy leadów"),
    failed_message=gettext_lazy("Import leadów z pliku „%(file)s” nie powiódł się: %(reason)s"),
    partial_message=gettext_lazy("Import leadów z pliku „%(file)s”: %(errors)s wierszy z błędami pominięto."),
)
