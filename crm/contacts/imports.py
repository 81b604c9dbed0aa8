"""CSV import: reading the file, guessing the column mapping, checking rows, and the bulk
run a Celery job performs (progress saved after every chunk). The machinery is shared by
record types through their importer (crm/contacts/importers.py); the customers' importer
(`CUSTOMER_IMPORTER`, its fields, row check and bulk writes) is defined here.

Duplicates (same NIP or e-mail as an existing customer, or an earlier row of the
file) are skipped or, in "update" mode, update that customer (non-empty columns
only). A restricted Pracownik never touches customers they cannot see.
"""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unidecode import unidecode

from crm.accounts.access import CustomerAction, customers_action_check, sees_everything
from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.categories.models import ContactGroup, ContactSource, CustomerStatus, CustomerType
from crm.common.records import record_events
from crm.contacts.import_files import (
    DELIMITERS,
    XLSX_EXTENSIONS,
    ImportFileError,
    ImportLimits,
    csv_read_checked,
    csv_rows,
    header_problem,
    import_file_head,
    import_file_read,
    rows_problem,
    upload_read,
    xlsx_to_csv,
)
from crm.contacts.importers import ImportField, RecordImporter, importer_for
from crm.contacts.models import (
    Customer,
    CustomerImport,
    CustomerKind,
    DuplicateMode,
    ImportStatus,
)
from crm.contacts.selectors import customers_visible_to
from crm.contacts.services import tags_clean
from crm.contacts.tasks import customer_import_run
from crm.contacts.validators import nip_normalise
from crm.customfields.definitions import custom_fields_of
from crm.customfields.values import custom_value_clean
from crm.notifications.models import NotificationKind
from crm.notifications.services import notify
from crm.systemlog.models import SystemEventKind
from crm.systemlog.services import system_event_record
from tenants.limits import limit_problem

logger = logging.getLogger(__name__)

CHUNK = 500
PREVIEW_ROWS = 10
MAX_REPORTED = 2000

# (field, label, header names recognised automatically)
IMPORT_FIELDS: list[ImportField] = [
    ("name", gettext_lazy("Nazwa / imię i nazwisko"), ("nazwa", "name", "firma", "klient", "nazwa firmy", "company")),
    ("kind", gettext_lazy("Rodzaj (firma / osoba)"), ("rodzaj", "kind")),
    ("tax_id", gettext_lazy("NIP"), ("nip", "tax id", "tax_id", "vat", "vat id", "nip/vat")),
    ("email", gettext_lazy("E-mail"), ("e-mail", "email", "mail", "adres e-mail", "adres email")),
    ("phone", gettext_lazy("Telefon"), ("telefon", "phone", "tel", "tel.", "numer telefonu", "komorka")),
    ("website", gettext_lazy("Strona WWW"), ("www", "strona", "strona www", "website", "url")),
    ("street", gettext_lazy("Ulica i numer"), ("ulica", "adres", "street", "address")),
    ("postal_code", gettext_lazy("Kod pocztowy"), ("kod", "kod pocztowy", "postal code", "zip", "kod pocztowy")),
    ("city", gettext_lazy("Miasto"), ("miasto", "city", "miejscowosc")),
    ("country", gettext_lazy("Kraj"), ("kraj", "country")),
    ("status", gettext_lazy("Status"), ("status",)),
    ("type", gettext_lazy("Typ"), ("typ", "type")),
    ("source", gettext_lazy("Źródło pozyskania"), ("zrodlo", "zrodlo pozyskania", "source")),
    ("groups", gettext_lazy("Grupy (oddzielone przecinkami)"), ("grupy", "grupa", "groups", "group")),
    ("tags", gettext_lazy("Tagi (oddzielone przecinkami)"), ("tagi", "tags", "tag")),
    ("owner", gettext_lazy("Opiekun (e-mail)"), ("opiekun", "owner")),
]
FIELD_KEYS = [key for key, _label, _aliases in IMPORT_FIELDS]


def import_fields() -> list[ImportField]:
    """IMPORT_FIELDS and the customers' custom fields, as `cf_<key>` (recognised by
    their name or key in the header)."""
    custom = [(f.param, f.name, (f.key, f.name)) for f in custom_fields_of("customer")]
    return [*IMPORT_FIELDS, *custom]


def import_field_keys() -> list[str]:
    return [key for key, _label, _aliases in import_fields()]


MAX_LENGTHS = {"name": 200, "phone": 40, "street": 200, "postal_code": 12, "city": 100, "country": 100}
KIND_WORDS = {
    "firma": CustomerKind.COMPANY,
    "company": CustomerKind.COMPANY,
    "f": CustomerKind.COMPANY,
    "osoba": CustomerKind.PERSON,
    "person": CustomerKind.PERSON,
    "o": CustomerKind.PERSON,
}
_URL = URLValidator(schemes=["http", "https"])
_LIST_SPLIT = re.compile(r"[,;|]")


def import_norm(text: str) -> str:
    return " ".join(unidecode(text or "").lower().replace("_", " ").split())


def job_delimiter(job: CustomerImport) -> str:
    return job.delimiter if len(job.delimiter or "") == 1 and job.delimiter in DELIMITERS else ","


def job_header(job: CustomerImport) -> list[str]:
    header = job.header if isinstance(job.header, list) else []
    return [str(h) for h in header]


def mapping_clean(raw: Any, columns: int, keys: list[str] | None = None) -> dict[str, int]:
    """Only known fields (`keys`, the customers' by default) pointing at existing columns
    (a stored mapping is not trusted)."""
    if not isinstance(raw, dict):
        return {}
    clean: dict[str, int] = {}
    keys = import_field_keys() if keys is None else keys
    for key, value in raw.items():
        if key in keys and isinstance(value, int) and not isinstance(value, bool) and 0 <= value < columns:
            clean[key] = value
    return clean


def import_prepare(*, upload: Any, user: User, importer: RecordImporter | None = None) -> CustomerImport:
    """Check the uploaded CSV or XLSX (its first sheet, stored as CSV) against the limits,
    store it and guess the mapping (of the importer's record type, customers by default);
    ImportFileError (nothing stored) if it is unusable."""
    importer = importer or CUSTOMER_IMPORTER
    limits = ImportLimits.current()
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
    lower = name.lower()
    if lower.endswith(".xls"):
        raise ImportFileError(_("Starszy format Excela (.xls) nie jest obsługiwany. Zapisz arkusz jako .xlsx lub CSV."))
    if not lower.endswith((".csv", ".txt", *XLSX_EXTENSIONS)):
        raise ImportFileError(_("Wybierz plik CSV lub Excel (rozszerzenie .csv albo .xlsx)."))
    raw = upload_read(upload, limits)
    workbook = lower.endswith(XLSX_EXTENSIONS)
    if workbook:
        raw = xlsx_to_csv(raw, limits)
    encoding, delimiter, header, total = csv_read_checked(raw, limits, delimiter="," if workbook else "")
    job = CustomerImport(
        original_name=name,
        encoding=encoding,
        delimiter=delimiter,
        header=header,
        mapping=mapping_guess(header, importer.fields()),
        total_rows=total,
        record_type=importer.key,
        created_by=user,
    )
    job.file.save("import.csv", ContentFile(raw), save=False)
    job.save()
    return job


@transaction.atomic
def import_start(
    *, job: CustomerImport, mapping: dict[str, int], duplicate_mode: str, actor: User | None
) -> CustomerImport:
    """Queue an uploaded job with its column mapping; the Celery task is sent after commit.
    A job that is no longer waiting for its mapping (started twice) is left as it is."""
    if job.status != ImportStatus.UPLOADED:
        return job
    job.mapping = mapping_clean(mapping, len(job_header(job)), importer_for(job.record_type).field_keys())
    job.duplicate_mode = duplicate_mode if duplicate_mode in DuplicateMode.values else DuplicateMode.SKIP
    job.status = ImportStatus.QUEUED
    job.save(update_fields=["mapping", "duplicate_mode", "status"])
    job_id = job.pk
    transaction.on_commit(lambda: import_enqueue(job_id=job_id))
    return job


def import_enqueue(*, job_id: int) -> None:
    """Send the job to the Celery worker; with the broker down the job is marked failed
    so the progress page says so instead of waiting forever."""
    try:
        customer_import_run.delay(job_id)
    except Exception:
        logger.exception("could not enqueue customer import %s", job_id)
        CustomerImport.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED,
            failure=_("Nie udało się uruchomić importu (kolejka zadań jest niedostępna). Spróbuj ponownie za chwilę."),
            finished_at=timezone.now(),
        )


def import_job_problem(job: CustomerImport) -> str:
    """Why a stored job cannot be mapped or run under today's limits ("" when it can):
    a file uploaded before the limits, or under higher ones."""
    limits = ImportLimits.current()
    return header_problem(job_header(job), limits) or rows_problem(job.total_rows or 0, limits)


def mapping_guess(header: list[str], fields: list[ImportField] | None = None) -> dict[str, int]:
    """{field: column index} from header names ("E-mail" -> email, "Źródło" -> source)."""
    mapping: dict[str, int] = {}
    normalised = [import_norm(h) for h in header]
    for key, label, aliases in import_fields() if fields is None else fields:
        names = {import_norm(a) for a in aliases} | {import_norm(str(label))}
        for index, value in enumerate(normalised):
            if value in names and index not in mapping.values():
                mapping[key] = index
                break
    return mapping


@dataclass
class Lookups:
    """Category and staff names -> objects, read once per import."""

    statuses: dict[str, Any] = field(default_factory=dict)
    types: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, Any] = field(default_factory=dict)
    groups: dict[str, Any] = field(default_factory=dict)
    owners: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Lookups:
        def by_name(model: Any) -> dict[str, Any]:
            return {import_norm(obj.name): obj for obj in model.objects.all()}

        owners: dict[str, Any] = {}
        for user in User.objects.filter(is_active=True):
            owners[user.email.lower()] = user
            if user.name:
                owners.setdefault(import_norm(user.name), user)
        return cls(
            statuses=by_name(CustomerStatus),
            types=by_name(CustomerType),
            sources=by_name(ContactSource),
            groups=by_name(ContactGroup),
            owners=owners,
        )


@dataclass
class RowResult:
    number: int  # line in the file (header = 1)
    data: dict[str, Any]
    groups: list[Any]
    errors: list[str]


def import_cell(row: list[str], mapping: dict[str, int], key: str) -> str:
    index = mapping.get(key)
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def row_check(row: list[str], number: int, mapping: dict[str, int], lookups: Lookups) -> RowResult:
    """Turn one CSV row into customer fields, collecting every problem with its column."""
    errors: list[str] = []
    data: dict[str, Any] = {}
    groups: list[Any] = []
    custom = import_custom_cells(row, mapping, errors, "customer")
    if custom:
        data["custom_fields"] = custom
    for key in FIELD_KEYS:
        if key not in mapping:
            continue
        value = import_cell(row, mapping, key)
        if key in MAX_LENGTHS and len(value) > MAX_LENGTHS[key]:
            errors.append(_("%(field)s: najwyżej %(max)s znaków.") % {"field": _label(key), "max": MAX_LENGTHS[key]})
            continue
        if key == "name":
            value = " ".join(value.split())
            if not value:
                errors.append(_("Brak nazwy klienta."))
            data["name"] = value
        elif key == "kind":
            if value:
                kind = KIND_WORDS.get(import_norm(value))
                if kind is None:
                    errors.append(_("Rodzaj: wpisz „firma” albo „osoba” (jest „%(value)s”).") % {"value": value})
                else:
                    data["kind"] = kind
        elif key == "tax_id":
            try:
                data["tax_id"] = nip_normalise(value)
            except ValidationError as exc:
                errors.append(f"{_('NIP')}: {' '.join(exc.messages)}")
        elif key == "email":
            value = value.lower()
            if value:
                try:
                    validate_email(value)
                except ValidationError:
                    errors.append(_("E-mail: niepoprawny adres „%(value)s”.") % {"value": value})
            data["email"] = value
        elif key == "website":
            if value and "://" not in value:
                value = f"https://{value}"
            if value:
                try:
                    _URL(value)
                except ValidationError:
                    errors.append(_("Strona WWW: niepoprawny adres „%(value)s”.") % {"value": value})
            data["website"] = value[:200]
        elif key in ("status", "type", "source"):
            if value:
                table = {"status": lookups.statuses, "type": lookups.types, "source": lookups.sources}[key]
                obj = table.get(import_norm(value))
                if obj is None:
                    errors.append(
                        _("%(field)s: nie ma takiej pozycji „%(value)s”. Dostępne: %(names)s.")
                        % {"field": _label(key), "value": value, "names": ", ".join(o.name for o in table.values())}
                    )
                else:
                    data[key] = obj
        elif key == "groups":
            for name in filter(None, (part.strip() for part in _LIST_SPLIT.split(value))):
                group = lookups.groups.get(import_norm(name))
                if group is None:
                    errors.append(_("Grupy: nie ma grupy „%(value)s”.") % {"value": name})
                else:
                    groups.append(group)
        elif key == "tags":
            data["tags"] = tags_clean(_LIST_SPLIT.split(value))
        elif key == "owner":
            if value:
                owner = lookups.owners.get(value.lower()) or lookups.owners.get(import_norm(value))
                if owner is None:
                    errors.append(_("Opiekun: nie ma pracownika „%(value)s”.") % {"value": value})
                else:
                    data["owner"] = owner
        else:
            data[key] = value
    if "kind" not in data and "name" in data:
        data["kind"] = CustomerKind.COMPANY
    return RowResult(number=number, data=data, groups=groups, errors=errors)


def import_custom_cells(row: list[str], mapping: dict[str, int], errors: list[str], model: str) -> dict[str, Any]:
    """The mapped custom fields' cells of record type `model`, checked by type
    (crm.customfields.values); a required field whose column is mapped must not be empty."""
    values: dict[str, Any] = {}
    for custom_field in custom_fields_of(model):
        if custom_field.param not in mapping:
            continue
        raw = import_cell(row, mapping, custom_field.param)
        try:
            value = custom_value_clean(custom_field, raw)
        except ValidationError as exc:
            errors.append(f"{custom_field.name}: {' '.join(exc.messages)}")
            continue
        if value is None and custom_field.required:
            errors.append(_("%(field)s: pole jest wymagane.") % {"field": custom_field.name})
        elif value is not None:
            values[custom_field.key] = value
    return values


def _label(key: str) -> str:
    return next(str(label) for k, label, _a in IMPORT_FIELDS if k == key).split(" (")[0]


def import_preview(job: CustomerImport, mapping: dict[str, int]) -> list[RowResult]:
    """The first rows checked as the import would, read from the start of the file only."""
    importer = importer_for(job.record_type)
    rows = import_file_head(job, job_delimiter(job))
    next(rows, None)
    lookups = importer.lookups()
    result: list[RowResult] = []
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        result.append(importer.row_check(row, number, mapping, lookups))
        if len(result) >= PREVIEW_ROWS:
            break
    return result


# --- The run -----------------------------------------------------------------------


@dataclass
class ImportState:
    job: CustomerImport
    user: User | None
    everything: bool
    lookups: Any
    seen_nip: dict[str, int] = field(default_factory=dict)  # -> file line
    seen_email: dict[str, int] = field(default_factory=dict)
    report: list[dict[str, Any]] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: int = 0
    processed: int = 0

    def note(self, number: int, level: str, messages: list[str]) -> None:
        if level == "error":
            self.errors += 1
        else:
            self.skipped += 1
        if len(self.report) < MAX_REPORTED:
            self.report.append({"row": number, "level": level, "messages": messages})


def import_run(job_id: int) -> CustomerImport:
    """Import the rows of a queued job (called by the Celery task in the company schema)."""
    job = CustomerImport.objects.select_related("created_by").get(pk=job_id)
    # Claimed with a conditional UPDATE: a job queued twice (a double click, a
    # redelivered task) is run by one worker only.
    claimed = CustomerImport.objects.filter(pk=job.pk, status__in=(ImportStatus.QUEUED, ImportStatus.UPLOADED)).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return job
    user = job.created_by
    importer = importer_for(job.record_type)
    job.mapping = mapping_clean(job.mapping, len(job_header(job)), importer.field_keys())
    state = ImportState(job=job, user=user, everything=bool(user and sees_everything(user)), lookups=importer.lookups())
    try:
        if importer.required not in job.mapping:
            raise ImportFileError(str(importer.required_message))
        problem = import_job_problem(job)
        if problem:
            raise ImportFileError(problem)
        rows = csv_rows(import_file_read(job), job_delimiter(job))
        next(rows, None)
        batch: list[tuple[int, list[str]]] = []
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            batch.append((number, row))
            if len(batch) >= CHUNK:
                importer.chunk_import(state, batch)
                batch = []
        if batch:
            importer.chunk_import(state, batch)
    except (ImportFileError, csv.Error) as exc:
        import_progress_save(state, status=ImportStatus.FAILED, failure=str(exc)[:500])
        job.refresh_from_db()
        _import_log(job)
        return job
    except Exception as exc:
        import_progress_save(state, status=ImportStatus.FAILED, failure=str(exc)[:500])
        job.refresh_from_db()
        _import_system_event(job)
        raise
    import_progress_save(state, status=ImportStatus.DONE)
    # Personal data does not linger in the media folder; the report stays in the row.
    job.file.delete(save=False)
    CustomerImport.objects.filter(pk=job.pk).update(file="")
    job.refresh_from_db()
    _import_log(job)
    return job


def _import_log(job: CustomerImport) -> None:
    """One activity entry per finished import: the file, its format, the rows and what
    became of them; and the bell of the person who started it (the report's page)."""
    url = reverse(importer_for(job.record_type).url_progress, args=[job.pk])
    notify(recipient=job.created_by, kind=NotificationKind.IMPORT_FINISHED, title=job.original_name, url=url)
    params = {
        "file": job.original_name,
        "format": PurePosixPath(job.original_name).suffix.lstrip(".").lower() or "csv",
        "rows": job.processed_rows,
        "created": job.created_count,
        "updated": job.updated_count,
        "skipped": job.skipped_count,
        "errors": job.error_count,
        "status": job.status,
        "duplicates": job.duplicate_mode,
        "record_type": job.record_type,
    }
    activity_record(
        actor=job.created_by,
        kind=ActivityKind.IMPORT,
        obj=job,
        object_repr=job.original_name,
        code="import",
        params=params,
    )
    _import_system_event(job)


def _import_system_event(job: CustomerImport) -> None:
    """A failed import, or one with rows left out for errors, goes to the system log."""
    importer = importer_for(job.record_type)
    if job.status == ImportStatus.FAILED:
        system_event_record(
            kind=SystemEventKind.IMPORT_FAILED,
            message=str(importer.failed_message) % {"file": job.original_name, "reason": job.failure or "?"},
            detail={"file": job.original_name, "failure": job.failure, "rows": job.processed_rows},
            obj=job,
        )
    elif job.error_count:
        system_event_record(
            kind=SystemEventKind.IMPORT_PARTIAL,
            message=str(importer.partial_message) % {"file": job.original_name, "errors": job.error_count},
            detail={
                "file": job.original_name,
                "rows": job.processed_rows,
                "created": job.created_count,
                "updated": job.updated_count,
                "skipped": job.skipped_count,
                "errors": job.error_count,
                "first_errors": [e for e in (job.errors or []) if e.get("level") == "error"][:20],
            },
            obj=job,
        )


def import_progress_save(state: ImportState, status: str | None = None, failure: str = "") -> None:
    values: dict[str, Any] = {
        "processed_rows": state.processed,
        "created_count": state.created,
        "updated_count": state.updated,
        "skipped_count": state.skipped,
        "error_count": state.errors,
        "errors": state.report,
    }
    if status:
        values.update(status=status, finished_at=timezone.now(), failure=failure)
    CustomerImport.objects.filter(pk=state.job.pk).update(**values)


def rows_valid(state: ImportState, checked: list[RowResult]) -> list[RowResult]:
    """The rows without errors; each refused row is noted in the job's report."""
    valid = []
    for result in checked:
        if result.errors:
            state.note(result.number, "error", result.errors)
        else:
            valid.append(result)
    return valid


def existing_by_nip_and_email(model: Any, valid: list[RowResult]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Records of `model` (the oldest first) that rows match by NIP and by e-mail, in one query."""
    nips = {r.data["tax_id"] for r in valid if r.data.get("tax_id")}
    emails = {r.data["email"] for r in valid if r.data.get("email")}
    by_nip: dict[str, Any] = {}
    by_email: dict[str, Any] = {}
    if nips or emails:
        for obj in model.objects.filter(Q(tax_id__in=nips) | Q(email__in=emails)).order_by("id"):
            if obj.tax_id:
                by_nip.setdefault(obj.tax_id, obj)
            if obj.email:
                by_email.setdefault(obj.email, obj)
    return by_nip, by_email


def _chunk_import(state: ImportState, batch: list[tuple[int, list[str]]]) -> None:
    job = state.job
    valid = rows_valid(state, [row_check(row, number, job.mapping, state.lookups) for number, row in batch])
    existing_by_nip, existing_by_email = existing_by_nip_and_email(Customer, valid)
    visible_ids: set[int] = set()
    if not state.everything and state.user is not None and (existing_by_nip or existing_by_email):
        found = {c.pk for c in [*existing_by_nip.values(), *existing_by_email.values()]}
        visible_ids = set(
            customers_visible_to(state.user, everything=False).filter(pk__in=found).values_list("pk", flat=True)
        )

    to_create: list[RowResult] = []
    to_update: dict[int, tuple[Customer, RowResult]] = {}
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
        match = (nip and existing_by_nip.get(nip)) or (email and existing_by_email.get(email))
        if not match:
            to_create.append(result)
            continue
        visible = state.everything or match.pk in visible_ids
        if job.duplicate_mode == DuplicateMode.UPDATE and visible:
            to_update[match.pk] = (match, result)
        elif job.duplicate_mode == DuplicateMode.UPDATE:
            state.note(result.number, "error", [_("Klient z tym NIP lub e-mailem już istnieje i ma innego opiekuna.")])
        else:
            state.note(
                result.number,
                "skipped",
                [
                    _("Klient już istnieje: %(name)s.")
                    % {"name": match.name if visible else _("klient innego opiekuna")}
                ],
            )

    # The chunk's rows, their timeline entries and the progress that counts them are
    # committed together: a failure anywhere in the chunk leaves none of them, and the
    # job's figures never count rows that were rolled back.
    with transaction.atomic():
        if to_create:
            problem = limit_problem("customers")
            if problem:
                for result in to_create:
                    state.note(result.number, "error", [problem])
                to_create = []
        created = _create(state, to_create)
        updated = _update(state, list(to_update.values()))
        state.created += created
        state.updated += updated
        state.processed += len(batch)
        import_progress_save(state)


def _create(state: ImportState, results: list[RowResult]) -> int:
    if not results:
        return 0
    customers = []
    for result in results:
        data = dict(result.data)
        if not state.everything or "owner" not in data:
            data["owner"] = state.user  # a restricted Pracownik keeps what they import
        customer = Customer(**data)
        customer.search_text_refresh()
        customers.append(customer)
    Customer.objects.bulk_create(customers, batch_size=CHUNK)
    through = Customer.groups.through
    links = [
        through(customer_id=customer.pk, contactgroup_id=group.pk)
        for customer, result in zip(customers, results, strict=True)
        for group in {g.pk: g for g in result.groups}.values()
    ]
    through.objects.bulk_create(links, ignore_conflicts=True)
    message = _("Zaimportowano z pliku %(name)s") % {"name": state.job.original_name}
    record_events(
        objs=customers,
        kind="customer_imported",
        message=message,
        actor=state.user,
        code="customer.imported",
        params={"file": state.job.original_name},
    )
    return len(customers)


def _update(state: ImportState, pairs: list[tuple[Customer, RowResult]]) -> int:
    if not pairs:
        return 0
    fields: set[str] = set()
    for customer, result in pairs:
        for key, value in result.data.items():
            if key == "owner" and not state.everything:
                continue
            if key == "custom_fields":  # the file's values over the stored ones
                customer.custom_fields = {**(customer.custom_fields or {}), **value}
                fields.add(key)
            elif value not in ("", None, []):
                setattr(customer, key, value)
                fields.add(key)
        customer.search_text_refresh()
        customer.updated_at = timezone.now()
    Customer.objects.bulk_update([c for c, _r in pairs], [*fields, "search_text", "updated_at"], batch_size=CHUNK)
    through = Customer.groups.through
    through.objects.bulk_create(
        [through(customer_id=c.pk, contactgroup_id=g.pk) for c, r in pairs for g in r.groups], ignore_conflicts=True
    )
    message = _("Zaktualizowano z pliku %(name)s") % {"name": state.job.original_name}
    record_events(
        objs=[c for c, _r in pairs],
        kind="customer_changed",
        message=message,
        actor=state.user,
        code="customer.import_updated",
        params={"file": state.job.original_name},
    )
    return len(pairs)


def job_report(job: CustomerImport) -> list[dict[str, Any]]:
    """The stored per-row report, as rows of {row, level, messages} (junk left out)."""
    entries = job.errors if isinstance(job.errors, list) else []
    report = []
    for entry in entries:
        if isinstance(entry, dict):
            messages = entry.get("messages")
            report.append(
                {
                    "row": entry.get("row"),
                    "level": "error" if entry.get("level") == "error" else "skipped",
                    "messages": [str(m) for m in messages] if isinstance(messages, list) else [],
                }
            )
    return report


def import_report_table(job: CustomerImport) -> tuple[list[str], list[list[Any]]]:
    """(header, rows) of the downloadable per-row report."""
    header = [_("Wiersz"), _("Wynik"), _("Opis")]
    rows = []
    for entry in job_report(job):
        level = _("błąd") if entry["level"] == "error" else _("pominięty")
        rows.append([entry["row"], level, " ".join(entry["messages"])])
    return header, rows


def _customers_may_import(user: User) -> None:
    customers_action_check(user, CustomerAction.IMPORT)


CUSTOMER_IMPORTER = RecordImporter(
    key="customer",
    namespace="contacts",
    list_url="contacts:customer_list",
    fields=import_fields,
    required="name",
    required_message=gettext_lazy("Wskaż kolumnę z nazwą klienta — bez niej nie da się importować."),
    lookups=Lookups.load,
    row_check=row_check,
    chunk_import=_chunk_import,
    may_import=_customers_may_import,
    title=gettext_lazy("Import klientów"),
    list_title=gettext_lazy("Klienci"),
    duplicate_legend=gettext_lazy("Klient już jest w CRM (ten sam NIP lub e-mail)"),
    fields_hint=gettext_lazy(
        "Rozpoznawane kolumny: nazwa, rodzaj, NIP, e-mail, telefon, WWW, ulica, kod pocztowy, miasto, kraj,"
        " status, typ, źródło, grupy, tagi, opiekun. Kolumny przypiszesz w następnym kroku."
    ),
    go_to_list=gettext_lazy("Przejdź do listy klientów"),
    failed_message=gettext_lazy("Import klientów z pliku „%(file)s” nie powiódł się: %(reason)s"),
    partial_message=gettext_lazy("Import klientów z pliku „%(file)s”: %(errors)s wierszy z błędami pominięto."),
)
