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

from crm.common.records import record_type

Label = str | Promise

MESSAGES: dict[str, Label] = {
    "customer.created": _("Dodano klienta %(name)s"),
    "trash.restored": _("Przywrócono z kosza: %(name)s"),
    "customer.updated": _("Zmieniono klienta %(name)s: %(changes)s."),
    "customer.deleted": _("Usunięto klienta %(name)s"),
    "email.unmatched_attached": _("Dołączono e-mail „%(subject)s” do klienta %(customer)s"),
    "email.unmatched_dismissed": _("Odrzucono niedopasowany e-mail „%(subject)s”"),
    "customer.imported": _("Zaimportowano z pliku %(file)s"),
    "customer.import_updated": _("Zaktualizowano z pliku %(file)s"),
    "customer.group_added": _("Dodano do grupy %(group)s"),
    "customer.merged": _("Scalono klienta %(other)s (nr %(other_id)s) z klientem %(name)s"),
    "bulk.assign": _("Zmiana zbiorcza, %(what)s (%(count)s): opiekun %(value)s"),
    "bulk.status": _("Zmiana zbiorcza, %(what)s (%(count)s): status %(value)s"),
    "bulk.stage": _("Zmiana zbiorcza, %(what)s (%(count)s): etap %(value)s"),
    "bulk.done": _("Zmiana zbiorcza, %(what)s (%(count)s): wykonane %(value)s"),
    "bulk.group_add": _("Zmiana zbiorcza, %(what)s (%(count)s): dodano do grupy %(value)s"),
    "bulk.group_remove": _("Zmiana zbiorcza, %(what)s (%(count)s): usunięto z grupy %(value)s"),
    "bulk.tag_add": _("Zmiana zbiorcza, %(what)s (%(count)s): dodano tag %(value)s"),
    "bulk.tag_remove": _("Zmiana zbiorcza, %(what)s (%(count)s): usunięto tag %(value)s"),
    "bulk.delete": _("Usunięcie zbiorcze, %(what)s (%(count)s), do kosza"),
    "contact.created": _("Dodano osobę kontaktową %(name)s"),
    "contact.updated": _("Zmieniono osobę kontaktową %(name)s: %(changes)s."),
    "contact.deleted": _("Usunięto osobę kontaktową %(name)s"),
    "deal.created": _("Dodano szansę sprzedaży %(name)s"),
    "deal.updated": _("Zmieniono szansę sprzedaży %(name)s: %(changes)s."),
    "deal.deleted": _("Usunięto szansę sprzedaży „%(name)s”."),
    "deal.stage_changed": _("Szansa „%(name)s”: etap zmieniony z „%(from)s” na „%(to)s”."),
    "deal.status_changed": _("Szansa „%(name)s”: status zmieniony z „%(from)s” na „%(to)s”."),
    "invoice.created": _("Dodano szkic faktury dla %(customer)s"),
    "invoice.updated": _("Zmieniono szkic faktury: %(changes)s."),
    "invoice.deleted": _("Usunięto szkic faktury."),
    "invoice.issued": _("Wystawiono fakturę %(number)s."),
    "invoice.correction_created": _("Przygotowano korektę faktury %(number)s (przyczyna: %(reason)s)."),
    "invoice.from_proforma": _("Przygotowano fakturę VAT z faktury pro forma %(number)s."),
    "invoice.from_offer": _("Z oferty %(number)s przygotowano fakturę."),
    "invoice.emailed": _("Wysłano fakturę %(number)s e-mailem do %(to)s."),
    "invoice.ksef_queued": _("Faktura %(number)s czeka na wysłanie do KSeF."),
    "invoice.ksef_sending": _("Wysyłanie faktury %(number)s do KSeF (próba %(attempt)s)."),
    "invoice.ksef_accepted": _("KSeF przyjął fakturę %(number)s, numer KSeF: %(ksef_number)s."),
    "invoice.ksef_rejected": _("KSeF odrzucił fakturę %(number)s: %(reason)s"),
    "invoice.ksef_error": _("KSeF nie odpowiedział na fakturę %(number)s (próba %(attempt)s): %(error)s"),
    "task.created": _("Dodano zadanie %(name)s"),
    "task.updated": _("Zmieniono zadanie %(name)s: %(changes)s."),
    "task.deleted": _("Usunięto zadanie %(name)s"),
    "article.created": _("Dodano artykuł bazy wiedzy %(name)s"),
    "article.updated": _("Zmieniono artykuł bazy wiedzy %(name)s: %(changes)s."),
    "article.deleted": _("Usunięto artykuł bazy wiedzy %(name)s"),
    "article_group.created": _("Dodano grupę artykułów %(name)s"),
    "article_group.updated": _("Zmieniono grupę artykułów %(name)s"),
    "article_group.deleted": _("Usunięto grupę artykułów %(name)s"),
    "announcement.created": _("Dodano ogłoszenie %(name)s"),
    "announcement.updated": _("Zmieniono ogłoszenie %(name)s"),
    "announcement.deleted": _("Usunięto ogłoszenie %(name)s"),
    "product.created": _("Dodano do katalogu %(name)s"),
    "product.updated": _("Zmieniono w katalogu %(name)s: %(changes)s."),
    "product.deactivated": _("Wycofano z katalogu %(name)s"),
    "product.activated": _("Przywrócono do katalogu %(name)s"),
    "offer.created": _("Dodano ofertę %(name)s dla klienta „%(customer)s”"),
    "offer.updated": _("Zmieniono ofertę %(name)s: %(changes)s."),
    "offer.deleted": _("Usunięto ofertę %(name)s"),
    "offer.sent": _("Wysłano ofertę %(number)s do %(to)s."),
    "offer.viewed": _("Klient otworzył ofertę %(number)s."),
    "offer.accepted": _("Oferta %(number)s zaakceptowana przez: %(name)s (adres IP %(ip)s)."),
    "offer.declined": _("Oferta %(number)s odrzucona. Komentarz klienta: %(comment)s"),
    "offer.expired": _("Oferta %(number)s wygasła (ważna do %(until)s)."),
    "contract.created": _("Dodano umowę „%(name)s” z klientem „%(customer)s”"),
    "contract.updated": _("Zmieniono umowę „%(name)s”: %(changes)s."),
    "contract.deleted": _("Usunięto umowę „%(name)s”"),
    "contract.sent": _("Wysłano umowę „%(name)s” do podpisu: %(to)s."),
    "contract.signed": _("Umowę „%(name)s” podpisał(a) %(signer)s."),
    "contract.renewed": _("Odnowiono umowę „%(name)s” od %(start)s."),
    "contract.settings": _("Zmieniono ustawienia umów: %(changes)s."),
    "lead.created": _("Dodano leada %(name)s"),
    "lead.updated": _("Zmieniono leada %(name)s: %(changes)s."),
    "lead.deleted": _("Usunięto leada %(name)s"),
    "lead.converted": _("Leada %(name)s skonwertowano na klienta „%(customer)s”."),
    "lead_form.created": _("Dodano formularz leadów %(name)s"),
    "lead_form.updated": _("Zmieniono formularz leadów %(name)s"),
    "lead_form.deleted": _("Usunięto formularz leadów %(name)s"),
    "ticket.created": _("Dodano zgłoszenie %(name)s (%(customer)s)"),
    "ticket.updated": _("Zmieniono zgłoszenie %(name)s: %(changes)s."),
    "ticket.deleted": _("Usunięto zgłoszenie %(name)s"),
    "ticket.assigned": _("Zgłoszenie %(name)s przypisano do: %(assignee)s."),
    "ticket.replied": _("Odpowiedziano na zgłoszenie %(name)s."),
    "ticket.note": _("Dodano notatkę wewnętrzną do zgłoszenia %(name)s."),
    "ticket.inbound": _("Nowa wiadomość od %(from)s w zgłoszeniu %(name)s."),
    "ticket.secret": _("Utworzono nowy klucz poczty przychodzącej zgłoszeń."),
    "ticket_department.created": _("Dodano dział %(name)s"),
    "ticket_department.updated": _("Zmieniono dział %(name)s"),
    "ticket_department.deleted": _("Usunięto dział %(name)s"),
    "project.created": _("Dodano projekt „%(name)s” dla klienta „%(customer)s”"),
    "project.updated": _("Zmieniono projekt „%(name)s”: %(changes)s."),
    "project.deleted": _("Usunięto projekt „%(name)s”"),
    "project.milestone_added": _("Dodano kamień milowy „%(name)s” w projekcie „%(project)s”"),
    "project.milestone_deleted": _("Usunięto kamień milowy „%(name)s” z projektu „%(project)s”"),
    "payment.created": _("Zapisano płatność %(amount)s %(currency)s do faktury %(number)s."),
    "payment.deleted": _("Usunięto płatność %(amount)s %(currency)s do faktury %(number)s."),
    "invoice.payment_status": _("Faktura %(number)s: status zmieniony z „%(from)s” na „%(to)s”."),
    "invoice.paid": _("Faktura %(number)s opłacona."),
    "invoice.overdue": _("Faktura %(number)s po terminie płatności."),
    "invoice.reminder_sent": _(
        "Wysłano przypomnienie o płatności faktury %(number)s do %(to)s (do zapłaty %(amount)s %(currency)s)."
    ),
    "invoice.reminders_changed": _("Zmieniono przypomnienia o płatnościach: %(changes)s."),
    "recurring.created": _("Faktura %(number)s będzie wystawiana cyklicznie (%(interval)s), od %(next)s."),
    "recurring.updated": _("Zmieniono fakturę cykliczną %(number)s: %(changes)s."),
    "recurring.stopped": _("Zakończono wystawianie faktury cyklicznej %(number)s."),
    "recurring.issued": _("Faktura cykliczna: wystawiono %(number)s za okres %(period)s."),
    "recurring.drafted": _("Faktura cykliczna: przygotowano szkic faktury za okres %(period)s."),
    "expense.created": _("Dodano wydatek %(name)s"),
    "expense.updated": _("Zmieniono wydatek %(name)s: %(changes)s."),
    "expense.deleted": _("Usunięto wydatek %(name)s"),
    "expense.receipt_added": _("Dołączono dowód zakupu %(file)s do wydatku %(name)s"),
    "expense.receipt_removed": _("Usunięto dowód zakupu %(file)s z wydatku %(name)s"),
    "expense.invoiced": _("Wydatek %(name)s doliczono do faktury %(invoice)s"),
    "expense.released": _("Wydatek %(name)s zdjęto z faktury; znów czeka na refakturowanie"),
    "time.started": _("Włączono licznik czasu w projekcie %(project)s"),
    "time.stopped": _("Zatrzymano licznik czasu w projekcie %(project)s (%(minutes)s min)"),
    "time.created": _("Dodano %(minutes)s min czasu pracy w projekcie %(project)s"),
    "time.updated": _("Zmieniono wpis czasu pracy w projekcie %(project)s (%(minutes)s min)"),
    "time.deleted": _("Usunięto wpis czasu pracy w projekcie %(project)s (%(minutes)s min)"),
    "time.billed": _("Czas pracy projektu %(project)s (wpisów: %(entries)s) trafił na szkic faktury"),
    "note.created": _("Dodano notatkę."),
    "note.updated": _("Zmieniono notatkę."),
    "note.deleted": _("Usunięto notatkę."),
    "file.created": _("Dodano plik %(name)s"),
    "file.deleted": _("Usunięto plik %(name)s"),
    "portal.file_shared": _("Udostępniono klientowi w portalu plik %(name)s"),
    "portal.file_unshared": _("Cofnięto udostępnienie klientowi pliku %(name)s"),
    "portal.message_posted": _("Nowa wiadomość w dyskusji projektu z klientem"),
    "portal.message_deleted": _("Usunięto wiadomość z dyskusji projektu z klientem"),
    "portal.branding_changed": _("Zmieniono kolor portalu klienta na %(color)s"),
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
    "offers": _("oferty"),
    "leads": _("leady"),
    "products": _("produkty i usługi"),
    "expenses": _("wydatki"),
    "time_entries": _("czas pracy"),
    "activity": _("dziennik aktywności"),
    "system_log": _("dziennik systemowy"),
    "report": _("raport"),
    "personal_data": _("dane osobowe (RODO)"),
}

# Labels of changed things that are not model fields.
EXTRA_FIELDS: dict[str, Label] = {"groups": _("grupy"), "followers": _("obserwujący"), "lines": _("pozycje")}
# Values stored as words, shown in the reader's language.
VALUE_WORDS: dict[str, Label] = {"": "—", "—": "—", "True": _("tak"), "False": _("nie"), "None": "—"}
ROLE_WORDS: dict[str, Label] = {"szef": _("Szef"), "kierownik": _("Kierownik"), "pracownik": _("Pracownik")}
# Statuses of invoices (crm.invoicing.models.InvoiceStatus) and intervals of recurring ones.
INVOICE_WORDS: dict[str, Label] = {
    "draft": _("szkic"),
    "issued": _("wystawiona"),
    "partially_paid": _("częściowo opłacona"),
    "paid": _("opłacona"),
    "overdue": _("po terminie"),
    "cancelled": _("anulowana"),
    "monthly": _("co miesiąc"),
    "quarterly": _("co kwartał"),
    "yearly": _("co rok"),
}


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


def _record_label(key: str) -> str:
    """ "customer" -> "Klienci" in the reader's language (the key itself for an unknown type)."""
    try:
        return str(record_type(key).label_plural)
    except KeyError:
        return key


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
    if code.startswith(("invoice.", "recurring.")):
        for key in ("from", "to", "interval"):
            if key in params and str(params[key]) in INVOICE_WORDS:
                values[key] = str(INVOICE_WORDS[str(params[key])])
    if code.startswith("bulk."):
        values["what"] = _record_label(str(params.get("type", "")))
        if str(params.get("value")) in VALUE_WORDS:
            values["value"] = str(VALUE_WORDS[str(params.get("value"))])
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
