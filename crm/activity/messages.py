"""The texts of logged events, rendered when read, in the reader's language.

Services store an event as a code with parameters (`code="deal.updated"`,
`params={"name": "Wdrożenie", "changes": [{"field": "value", "from": "100", "to": "200"}]}`);
the log page, its CSV export, the API and the customer's timeline turn it into a sentence
with gettext in the active language. A row without a known code shows its stored
`message` (rows written before codes existed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

Label = str | Promise

MESSAGES: dict[str, Label] = {
    "customer.created": _("Dodano klienta %(name)s"),
    "customer.updated": _("Zmieniono klienta %(name)s: %(changes)s."),
    "customer.deleted": _("Usunięto klienta %(name)s"),
    "customer.imported": _("Zaimportowano z pliku %(file)s"),
    "customer.import_updated": _("Zaktualizowano z pliku %(file)s"),
    "customer.group_added": _("Dodano do grupy %(group)s"),
    "contact.created": _("Dodano osobę kontaktową %(name)s"),
    "contact.updated": _("Zmieniono osobę kontaktową %(name)s: %(changes)s."),
    "contact.deleted": _("Usunięto osobę kontaktową %(name)s"),
    "deal.created": _("Dodano szansę sprzedaży %(name)s"),
    "deal.updated": _("Zmieniono szansę sprzedaży %(name)s: %(changes)s."),
    "deal.deleted": _("Usunięto szansę sprzedaży „%(name)s”."),
    "deal.stage_changed": _("Szansa „%(name)s”: etap zmieniony z „%(from)s” na „%(to)s”."),
    "deal.status_changed": _("Szansa „%(name)s”: status zmieniony z „%(from)s” na „%(to)s”."),
    "task.created": _("Dodano zadanie %(name)s"),
    "task.updated": _("Zmieniono zadanie %(name)s: %(changes)s."),
    "task.deleted": _("Usunięto zadanie %(name)s"),
    "note.created": _("Dodano notatkę."),
    "note.updated": _("Zmieniono notatkę."),
    "note.deleted": _("Usunięto notatkę."),
    "file.created": _("Dodano plik %(name)s"),
    "file.deleted": _("Usunięto plik %(name)s"),
    "category.created": _("Dodano pozycję %(name)s"),
    "category.updated": _("Zmieniono pozycję %(name)s: %(changes)s."),
    "category.deleted": _("Usunięto pozycję %(name)s"),
    "category.deleted_moved": _("Usunięto pozycję %(name)s; rekordy (%(moved)s) przeniesiono do „%(to)s”."),
    "category.deleted_cleared": _("Usunięto pozycję %(name)s; rekordy (%(moved)s) zostały bez tej kategorii."),
    "settings.changed": _("Zmienione pola: %(fields)s"),
    "settings.mail_test": _("Test poczty do %(to)s: %(result)s"),
    "settings.company_renamed": _("Zmieniono nazwę firmy z „%(from)s” na „%(to)s”."),
    "staff.invited": _("Zaproszono %(email)s (ranga: %(role)s)."),
    "staff.invitation_revoked": _("Anulowano zaproszenie."),
    "staff.invitation_accepted": _("Przyjęto zaproszenie i założono konto."),
    "staff.role_changed": _("Zmieniono rangę z %(from)s na %(to)s."),
    "staff.deactivated": _("Dezaktywowano konto. Przekazano: %(moved)s."),
    "staff.reactivated": _("Przywrócono konto."),
    "staff.renamed": _("Zmieniono imię i nazwisko z „%(from)s” na „%(to)s”."),
    "staff.token_revoked": _("Unieważniono token API „%(name)s” (%(prefix)s…)."),
    "export": _("Eksport: %(what)s, format %(format)s, wiersze: %(rows)s, filtry: %(filters)s."),
    "import": _(
        "Import klientów z pliku %(file)s (%(format)s): wiersze: %(rows)s, dodano %(created)s, "
        "zaktualizowano %(updated)s, pominięto %(skipped)s."
    ),
    "login.locked_ip": _(
        "Logowanie z adresu %(ip)s wstrzymane na %(minutes)s min po %(failures)s nieudanych próbach "
        "(ostatnio na konto %(account)s)."
    ),
    "login.locked_account": _(
        "Logowanie na konto %(account)s z adresu %(ip)s wstrzymane na %(minutes)s min "
        "po %(failures)s nieudanych próbach."
    ),
}

# What was exported ("what" of an export entry).
EXPORT_SUBJECTS: dict[str, Label] = {
    "customers": _("klienci"),
    "deals": _("szanse sprzedaży"),
    "tasks": _("zadania"),
    "activity": _("dziennik aktywności"),
    "report": _("raport"),
}

# Labels of changed things that are not model fields.
EXTRA_FIELDS: dict[str, Label] = {"groups": _("grupy"), "followers": _("obserwujący")}
# Values stored as words, shown in the reader's language.
VALUE_WORDS: dict[str, Label] = {"": "—", "—": "—", "True": _("tak"), "False": _("nie"), "None": "—"}
ROLE_WORDS: dict[str, Label] = {"szef": _("Szef"), "kierownik": _("Kierownik"), "pracownik": _("Pracownik")}


def _model(object_type: str) -> type[Model] | None:
    try:
        return apps.get_model(object_type) if "." in object_type else None
    except (LookupError, ValueError):
        return None


def field_label(object_type: str, name: str) -> str:
    if name in EXTRA_FIELDS:
        return str(EXTRA_FIELDS[name])
    model = _model(object_type)
    if model is not None:
        try:
            return str(getattr(model._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:
            pass
    return name


def _word(value: Any) -> str:
    text = "" if value is None else str(value)
    return str(VALUE_WORDS.get(text, text))


def changes_text(object_type: str, changes: Any) -> str:
    """[{"field": "value", "from": "100", "to": "200"}] -> "wartość: 100 → 200" (labels in the active language)."""
    parts = []
    for change in changes if isinstance(changes, list) else []:
        if not isinstance(change, Mapping):
            continue
        label = field_label(object_type, str(change.get("field", "")))
        parts.append(f"{label}: {_word(change.get('from'))} → {_word(change.get('to'))}")
    return "; ".join(parts) or "—"


def _filters_text(filters: Any) -> str:
    if not isinstance(filters, Mapping) or not filters:
        return gettext("brak")
    return ", ".join(f"{key}={value}" for key, value in filters.items())


def _values(code: str, params: Mapping[str, Any], object_type: str) -> dict[str, Any]:
    values: dict[str, Any] = {key: "" if value is None else value for key, value in params.items()}
    if "changes" in params:
        values["changes"] = changes_text(object_type, params["changes"])
    if "fields" in params and isinstance(params["fields"], list):
        values["fields"] = ", ".join(field_label(object_type, str(f)) for f in params["fields"])
    if "section" in params:
        values["section"] = gettext(str(params["section"]))
    if code == "export":
        what = str(params.get("what", ""))
        values["what"] = params.get("title") or str(EXPORT_SUBJECTS.get(what, what))
        values["filters"] = _filters_text(params.get("filters"))
        values["format"] = str(params.get("format", "")).upper()
    if code.startswith("staff.") and ("from" in params or "role" in params):
        for key in ("from", "to", "role"):
            if key in params and str(params[key]) in ROLE_WORDS:
                values[key] = str(ROLE_WORDS[str(params[key])])
    return values


def event_text(*, code: str, params: Mapping[str, Any] | None, object_type: str = "", fallback: str = "") -> str:
    """The sentence for `code` in the active language; `fallback` for unknown codes
    (and when the parameters do not fit the text)."""
    template = MESSAGES.get(code)
    if template is None:
        return fallback
    try:
        return str(template) % _values(code, params or {}, object_type)
    except (KeyError, TypeError, ValueError):
        return fallback
