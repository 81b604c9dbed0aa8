"""Anonymising a person (RODO right to erasure, issue 18): a customer that is a natural
person, a contact person, or a lead not yet converted (a converted lead's person lives on
as the customer or contact person: anonymise that one, whose sweep also reaches the lead).
Irreversible; Szef only; logged without the personal data.

What happens, in one transaction:

1. the person's row keeps its id (deals, invoices, tickets and counts still point at it)
   but every personal field is replaced: the name becomes "Osoba zanonimizowana #<id>",
   e-mail, phone, NIP, address, website and tags are cleared;
2. notes about a customer are deleted (with their earlier wordings); the e-mails of the
   person (ticket replies they wrote, and for a customer every reply of its tickets) are
   redacted; files are deleted, also from the storage (notes' files of the customer,
   attachments of those e-mails); the consent history is deleted;
3. trash entries holding the person's data are purged with their kept files;
4. a sweep of the whole company schema: every text, varchar, json(b) and text-array
   column of every table (information_schema) has the person's name, e-mail, phone and
   NIP (also folded: lower case without Polish letters, as search columns keep them)
   replaced by "[dane usunięte]": deal names, timeline and activity-log entries, notes
   on other records mentioning them, search columns, custom field values... Generated
   search columns follow by themselves;
5. one activity-log entry: who anonymised which record id, nothing about the person.

Kept on purpose: amounts and counts (deals, invoices, payments, time). Invoices already
issued are legal documents: the VAT act (art. 112 ustawy o VAT, Ordynacja podatkowa
art. 86) obliges the company to keep them unchanged for 5 years from the end of the
year of the tax deadline, so an issued invoice keeps the buyer's name, NIP and address
as issued (its e-mail address and phone, which an invoice does not need, are cleared),
and the rows of issued invoices are left out of the sweep. Drafts are swept like any
record. The confirmation page says so. Files inside company backups and CSV imports
are not opened: backups expire by their own retention.

Accounts of staff, company settings and the seller's data are left out of the sweep:
an e-mail shared by a customer and a staff member must not lock the staff member out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Model, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from unidecode import unidecode

from crm.accounts.access import is_szef
from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.errors import AppError
from crm.contacts.models import ContactPerson, Customer, CustomerKind, contacts_search_text
from crm.invoicing.models import Invoice, InvoiceStatus
from crm.leads.models import Lead
from crm.leads.selectors import leads_visible_to
from crm.notes.models import Attachment, Note
from crm.privacy.models import ConsentEvent
from crm.tickets.models import TicketAttachment, TicketReply
from crm.trash.models import TrashEntry
from crm.trash.services import trash_entries_forget

Person = Customer | ContactPerson | Lead

REDACTED = "[dane usunięte]"
REDACTED_MESSAGE = "[treść usunięta: dane osoby zanonimizowane]"
# Stored data, not an interface text: the same in every language of the reader.
ANONYMOUS_NAME = "Osoba zanonimizowana #{id}"
# Apps above this layer that keep what a contact person wrote (the client portal's project
# discussion) register here; each is called inside contact_anonymise's transaction
# (customer_anonymise's for a customer: what its contact persons wrote, as with its tickets).
contact_anonymise_listeners: list[Callable[[ContactPerson], None]] = []
customer_anonymise_listeners: list[Callable[[Customer], None]] = []
MIN_NEEDLE = 4  # shorter fragments would hit unrelated text
NOT_A_PERSON = _("Ten klient jest firmą: anonimizuje się osoby (klienta-osobę albo osobę kontaktową).")
ONLY_SZEF = _("Dane osoby może zanonimizować tylko Szef.")
WRONG_CONFIRMATION = _("Wpisz dokładnie imię i nazwisko osoby, aby potwierdzić anonimizację.")
ALREADY = _("Dane tej osoby zostały już zanonimizowane.")
LEAD_CONVERTED = _(
    "Ten lead został już skonwertowany na klienta: zanonimizuj dane klienta lub osoby kontaktowej"
    " (to usunie je także z leada)."
)

_SKIPPED_APPS = ("accounts", "company", "authtoken", "sessions", "contenttypes", "auth", "admin", "django_tenants")


def anonymise_lead_for(user: User, pk: int) -> Lead:
    """The lead `pk` if `user` may open it (404 otherwise); the rank is checked apart."""
    return get_object_or_404(leads_visible_to(user), pk=pk)


def anonymise_rank_check(user: User) -> None:
    if not is_szef(user):
        raise PermissionDenied(ONLY_SZEF)


def is_anonymised(person: Person) -> bool:
    return person.name == ANONYMOUS_NAME.format(id=person.pk)


def confirmation_matches(person: Person, typed: str) -> bool:
    """The confirmation is the person's name, typed (case and spacing do not matter)."""

    def norm(text: str) -> str:
        return " ".join(text.split()).casefold()

    return bool(typed) and norm(typed) == norm(person.name)


def _needles(*values: str) -> list[str]:
    found: set[str] = set()
    for value in values:
        value = " ".join((value or "").split())
        if not value:
            continue
        forms = {value, unidecode(value).lower()}
        digits = "".join(ch for ch in value if ch.isdigit())
        if len(digits) >= 6 and not any(ch.isalpha() for ch in value):
            forms |= {digits, digits[-9:]}
        words = value.split(" ")
        if len(words) == 2:  # "Nowak Anna" as well as "Anna Nowak"
            forms |= {f"{words[1]} {words[0]}", unidecode(f"{words[1]} {words[0]}").lower()}
        found |= {f for f in forms if len(f) >= MIN_NEEDLE}
    return sorted(found, key=len, reverse=True)


def _pattern(needles: list[str]) -> str:
    return "|".join(re.escape(n) for n in needles)


def _delete_file(field_file: object) -> None:
    name = getattr(field_file, "name", "")
    if name:
        transaction.on_commit(partial(field_file.storage.delete, name))  # type: ignore[attr-defined]


def _skipped_tables() -> set[str]:
    skipped = {m._meta.db_table for m in apps.get_models() if m._meta.app_label in _SKIPPED_APPS}
    return skipped | {"django_migrations"}


def _columns() -> dict[str, list[tuple[str, str]]]:
    """table -> [(column, kind)] of every writable text-like column of the company schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name, c.data_type, c.udt_name
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
              AND c.is_generated = 'NEVER'
              AND (c.data_type IN ('text', 'character varying', 'json', 'jsonb')
                   OR (c.data_type = 'ARRAY' AND c.udt_name IN ('_text', '_varchar')))
            ORDER BY c.table_name, c.ordinal_position
            """
        )
        rows = cursor.fetchall()
    skipped = _skipped_tables()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type, _udt in rows:
        if table not in skipped:
            out.setdefault(table, []).append((column, data_type))
    return out


def _sweep(pattern: str) -> int:
    """Replaces every match of `pattern` (case-insensitive) in the company schema; rows changed."""
    if not pattern:  # nothing long enough to look for (an empty pattern would match every row)
        return 0
    invoice_table = Invoice._meta.db_table
    kept_invoices = "status <> %s"
    changed = 0
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, columns in _columns().items():
            sets, wheres, params_set, params_where = [], [], [], []
            for column, data_type in columns:
                col = qn(column)
                if data_type in ("json", "jsonb"):
                    sets.append(f"{col} = regexp_replace({col}::text, %s, %s, 'gi')::{data_type}")
                    wheres.append(f"{col}::text ~* %s")
                elif data_type == "ARRAY":
                    each = "SELECT regexp_replace(x, %s, %s, 'gi') FROM unnest"
                    sets.append(f"{col} = ARRAY({each}({col}) AS x)")
                    wheres.append(f"array_to_string({col}, ' ') ~* %s")
                else:
                    sets.append(f"{col} = regexp_replace({col}, %s, %s, 'gi')")
                    wheres.append(f"{col} ~* %s")
                params_set += [pattern, REDACTED]
                params_where.append(pattern)
            where = " OR ".join(wheres)
            # names from information_schema, quoted; the values are parameters
            sql = f"UPDATE {qn(table)} SET {', '.join(sets)} WHERE ({where})"  # noqa: S608
            params = params_set + params_where
            if table == invoice_table:
                sql += f" AND NOT ({kept_invoices})"
                params.append(InvoiceStatus.DRAFT)
            cursor.execute(sql, params)
            changed += max(cursor.rowcount, 0)
    return changed


def _issued_invoices_trim(customer: Customer, pattern: str) -> None:
    """Issued invoices keep what the law requires; the buyer's e-mail and phone go, and
    so does the buyer's name from the search column (the search no longer finds the person)."""
    for invoice in Invoice.objects.filter(customer=customer).exclude(status=InvoiceStatus.DRAFT):
        invoice.buyer = {**invoice.buyer, "email": "", "phone": ""}
        invoice.emailed_to = ""
        if pattern:
            invoice.search_text = " ".join(re.sub(pattern, " ", invoice.search_text, flags=re.IGNORECASE).split())
        invoice.save(update_fields=["buyer", "emailed_to", "search_text"])


def _trash_forget(pattern: str, obj: Model) -> None:
    label = obj._meta.label_lower
    entries = TrashEntry.objects.filter(Q(model=label, object_pk=obj.pk) | Q(pk__in=_trash_ids_matching(pattern)))
    trash_entries_forget(entries)


def _trash_ids_matching(pattern: str) -> list[int]:
    if not pattern:
        return []
    table = connection.ops.quote_name(TrashEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {table} WHERE name ~* %s OR rows::text ~* %s OR files::text ~* %s",  # noqa: S608
            [pattern, pattern, pattern],
        )
        return [row[0] for row in cursor.fetchall()]


def _files_delete(attachments: object, ticket_files: object) -> None:
    for item in attachments:  # type: ignore[attr-defined]
        _delete_file(item.file)
        item.delete()
    for item in ticket_files:  # type: ignore[attr-defined]
        _delete_file(item.file)
        item.delete()


def _checks(person: Person, actor: User, confirm: str) -> None:
    anonymise_rank_check(actor)
    if isinstance(person, Customer) and person.kind != CustomerKind.PERSON:
        raise AppError(str(NOT_A_PERSON))
    if isinstance(person, Lead) and person.is_converted:
        raise AppError(str(LEAD_CONVERTED))
    if is_anonymised(person):
        raise AppError(str(ALREADY))
    if not confirmation_matches(person, confirm):
        raise AppError(str(WRONG_CONFIRMATION), field="confirm")


@transaction.atomic
def customer_anonymise(*, customer: Customer, actor: User, confirm: str) -> Customer:
    """Anonymises a customer that is a natural person (module docstring)."""
    _checks(customer, actor, confirm)
    pattern = _pattern(_needles(customer.name, customer.email, customer.phone, customer.tax_id, customer.street))
    replies = TicketReply.objects.filter(ticket__customer=customer)
    _files_delete(
        Attachment.objects.filter(Q(customer=customer) | Q(ticket__customer=customer)),
        TicketAttachment.objects.filter(reply__in=replies),
    )
    Note.objects.filter(customer=customer).delete()
    replies.update(body=REDACTED_MESSAGE, from_email="")
    for listener in customer_anonymise_listeners:
        listener(customer)
    ConsentEvent.objects.filter(customer=customer).delete()
    _issued_invoices_trim(customer, pattern)
    _trash_forget(pattern, customer)
    customer.name = ANONYMOUS_NAME.format(id=customer.pk)
    for field in ("email", "phone", "tax_id", "street", "postal_code", "city", "website"):
        setattr(customer, field, "")
    customer.tags = []
    customer.save()
    _sweep(pattern)
    activity_record(
        actor=actor, kind=ActivityKind.DELETE, obj=customer, code="person.anonymised", params={"type": "customer"}
    )
    return customer


@transaction.atomic
def contact_anonymise(*, contact: ContactPerson, actor: User, confirm: str) -> ContactPerson:
    """Anonymises a contact person (module docstring); their customer stays as it is."""
    _checks(contact, actor, confirm)
    pattern = _pattern(_needles(contact.name, contact.email, contact.phone))
    replies = TicketReply.objects.filter(contact=contact)
    _files_delete(
        Attachment.objects.none(),
        TicketAttachment.objects.filter(reply__in=replies),
    )
    replies.update(body=REDACTED_MESSAGE, from_email="")
    for listener in contact_anonymise_listeners:
        listener(contact)
    ConsentEvent.objects.filter(contact=contact).delete()
    _trash_forget(pattern, contact)
    contact.name = ANONYMOUS_NAME.format(id=contact.pk)
    contact.position = contact.email = contact.phone = ""
    contact.save()
    customer = contact.customer
    customer.contacts_search_text = contacts_search_text(
        customer.contacts.order_by("id").values_list("name", "email", "phone")
    )
    customer.save(update_fields=["contacts_search_text"])
    _sweep(pattern)
    activity_record(
        actor=actor, kind=ActivityKind.DELETE, obj=contact, code="person.anonymised", params={"type": "contact"}
    )
    return contact


@transaction.atomic
def lead_anonymise(*, lead: Lead, actor: User, confirm: str) -> Lead:
    """Anonymises a lead not yet converted (module docstring): its notes and files are
    deleted, its personal fields and custom values cleared; the estimated value, status,
    source and owner stay (counts and sums of the lead reports)."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    _checks(lead, actor, confirm)
    pattern = _pattern(_needles(lead.name, lead.email, lead.phone))
    _files_delete(Attachment.objects.filter(lead=lead), TicketAttachment.objects.none())
    Note.objects.filter(lead=lead).delete()
    _trash_forget(pattern, lead)
    lead.name = ANONYMOUS_NAME.format(id=lead.pk)
    for field in ("email", "phone", "tax_id", "position", "description", "lost_reason"):
        setattr(lead, field, "")
    lead.custom_fields = {}
    lead.save()
    _sweep(pattern)
    activity_record(actor=actor, kind=ActivityKind.DELETE, obj=lead, code="person.anonymised", params={"type": "lead"})
    return lead
