"""The processing register (rejestr czynności przetwarzania, art. 30 RODO) of a company:
one row per category of data the CRM keeps, with purpose, legal basis and retention.

The rows come from what the CRM holds: every record type registered in
crm.common.records (customers, contact persons, deals, invoices, tickets...; a type a
later app registers appears by itself) plus the data kept beside records (notes,
e-mails, files, consents, the activity log, staff accounts). Each row has a default
wording here; Szef may rewrite purpose, legal basis and retention, stored in
`ProcessingEntry` (one row per changed key; "back to default" deletes it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.errors import AppError
from crm.common.records import record_types
from crm.privacy.models import ProcessingEntry

Label = str | Promise
MAX_TEXT = 2000

CONTRACT = _("art. 6 ust. 1 lit. b RODO (umowa lub działania przed jej zawarciem)")
INTEREST = _("art. 6 ust. 1 lit. f RODO (prawnie uzasadniony interes: obsługa klientów i sprzedaż)")
LEGAL = _("art. 6 ust. 1 lit. c RODO (obowiązek prawny: przepisy podatkowe i rachunkowe)")
CONSENT = _("art. 6 ust. 1 lit. a RODO (zgoda) oraz art. 10 ustawy o świadczeniu usług drogą elektroniczną")
UNTIL_END = _("przez czas współpracy, potem do przedawnienia roszczeń (do 6 lat)")
TAX = _("5 lat od końca roku, w którym upłynął termin płatności podatku")

# key -> (data kept, purpose, legal basis, retention); keys of record types are their registry keys.
DEFAULTS: dict[str, tuple[Label, Label, Label, Label]] = {
    "customer": (
        _("imię i nazwisko lub nazwa, NIP, adres, e-mail, telefon, strona WWW"),
        _("obsługa klientów, sprzedaż, wystawianie dokumentów"),
        CONTRACT,
        UNTIL_END,
    ),
    "contact": (
        _("imię i nazwisko, stanowisko, e-mail, telefon"),
        _("kontakt z osobami reprezentującymi klientów"),
        INTEREST,
        UNTIL_END,
    ),
    "lead": (
        _("imię i nazwisko, firma, e-mail, telefon"),
        _("odpowiedź na zapytanie, przygotowanie oferty"),
        _("art. 6 ust. 1 lit. b i f RODO (działania przed zawarciem umowy, prawnie uzasadniony interes)"),
        _("do 12 miesięcy od ostatniego kontaktu, jeśli nie doszło do współpracy"),
    ),
    "invoice": (
        _("dane nabywcy na fakturach, płatności"),
        _("rozliczenia, obowiązki podatkowe i rachunkowe"),
        LEGAL,
        TAX,
    ),
    "expense": (_("dane dostawców na kosztach"), _("rozliczenia i księgowość"), LEGAL, TAX),
    "notes": (
        _("treść notatek i rozmów o klientach"),
        _("obsługa klientów, ciągłość współpracy"),
        INTEREST,
        UNTIL_END,
    ),
    "emails": (
        _("wiadomości e-mail w zgłoszeniach: nadawca, treść, załączniki"),
        _("obsługa zgłoszeń i reklamacji"),
        INTEREST,
        UNTIL_END,
    ),
    "files": (_("pliki dołączone do rekordów"), _("obsługa klientów i umów"), INTEREST, UNTIL_END),
    "consents": (
        _("zgody na marketing e-mailowy i telefoniczny z historią zmian"),
        _("marketing bezpośredni, wykazanie udzielenia zgody"),
        CONSENT,
        _("do wycofania zgody, historia do przedawnienia roszczeń"),
    ),
    "activity": (
        _("dziennik aktywności: kto, kiedy, co zmienił, adres IP"),
        _("bezpieczeństwo danych i rozliczalność"),
        _("art. 6 ust. 1 lit. c i f RODO (obowiązek wykazania zgodności, bezpieczeństwo)"),
        _("do 2 lat"),
    ),
    "staff": (
        _("konta pracowników: imię i nazwisko, e-mail, rola"),
        _("dostęp do systemu"),
        _("art. 6 ust. 1 lit. b i f RODO (umowa z pracownikiem, bezpieczeństwo)"),
        _("przez czas zatrudnienia"),
    ),
}
OTHER_DEFAULT: tuple[Label, Label, Label] = (_("realizacja umów i obsługa klientów"), CONTRACT, UNTIL_END)
_BESIDE = {
    "notes": _("Notatki"),
    "emails": _("E-maile"),
    "files": _("Pliki"),
    "consents": _("Zgody marketingowe"),
    "activity": _("Dziennik aktywności"),
    "staff": _("Użytkownicy (pracownicy)"),
}


@dataclass
class RegisterRow:
    key: str
    category: Label
    data: Label
    purpose: str
    legal_basis: str
    retention: str
    changed: bool


def register_keys() -> list[tuple[str, Label]]:
    """(key, category name) of every row: record types of the registry, then the rest."""
    rows: list[tuple[str, Label]] = [(t.key, t.label_plural) for t in record_types()]
    return rows + list(_BESIDE.items())


def _default(key: str) -> tuple[Label, Label, Label, Label]:
    if key in DEFAULTS:
        return DEFAULTS[key]
    return (_("dane zapisane w rekordach tego typu"), *OTHER_DEFAULT)


def register_rows() -> list[RegisterRow]:
    own = {entry.key: entry for entry in ProcessingEntry.objects.all()}
    rows = []
    for key, category in register_keys():
        data, purpose, basis, retention = _default(key)
        entry = own.get(key)
        rows.append(
            RegisterRow(
                key=key,
                category=category,
                data=data,
                purpose=entry.purpose if entry else str(purpose),
                legal_basis=entry.legal_basis if entry else str(basis),
                retention=entry.retention if entry else str(retention),
                changed=entry is not None,
            )
        )
    return rows


@transaction.atomic
def register_entry_save(*, actor: User, key: str, purpose: str, legal_basis: str, retention: str) -> None:
    """Szef's wording of one row (empty texts are refused; the defaults' wording deletes it)."""
    if key not in dict(register_keys()):
        raise AppError(str(_("Nie ma takiej pozycji rejestru.")), field="key")
    values: dict[str, Any] = {"purpose": purpose, "legal_basis": legal_basis, "retention": retention}
    for name, value in values.items():
        value = " ".join(str(value or "").split())
        if not value:
            raise AppError(str(_("To pole nie może być puste.")), field=name)
        if len(value) > MAX_TEXT:
            raise AppError(str(_("Najwyżej 2000 znaków.")), field=name)
        values[name] = value
    _data, *defaults = _default(key)
    if [str(d) for d in defaults] == [values["purpose"], values["legal_basis"], values["retention"]]:
        ProcessingEntry.objects.filter(key=key).delete()
    else:
        ProcessingEntry.objects.update_or_create(key=key, defaults={**values, "updated_by": actor})
    activity_record(actor=actor, kind=ActivityKind.SETTINGS, code="register.updated", params={"key": key})


@transaction.atomic
def register_entry_reset(*, actor: User, key: str) -> None:
    ProcessingEntry.objects.filter(key=key).delete()
    activity_record(actor=actor, kind=ActivityKind.SETTINGS, code="register.updated", params={"key": key})
