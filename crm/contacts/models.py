"""Customers (a company or a person) and the contact persons of company customers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from unidecode import unidecode

from crm.common.custom_fields import custom_fields_column, custom_fields_index, custom_search_words
from crm.common.search import SearchFold


def search_text_for(*parts: str | None) -> str:
    """Lower-case, diacritics-free text the list search matches against ("Łódź" -> "lodz")."""
    return " ".join(unidecode(p).lower() for p in parts if p)


# Names sort in Polish alphabetical order (Ł after L, Ś after S): PostgreSQL's ICU
# collation, ensured by migration 0005 (PostgreSQL ships it in pg_catalog when built with ICU).
POLISH_COLLATION = "pl-x-icu"


def phone_search_parts(phone: str | None) -> tuple[str, str]:
    """A phone as searched: as written and, when that differs, its digits only."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return phone or "", digits if digits != phone else ""


def customer_search_text(
    *,
    name: str,
    email: str = "",
    phone: str = "",
    tax_id: str = "",
    street: str = "",
    postal_code: str = "",
    city: str = "",
    contacts: str = "",
    custom: list[str] | None = None,
) -> str:
    """search_text of a customer: name, e-mail, phone (also digits only), NIP, address,
    `contacts` (contacts_search_text: its contact persons' names, e-mails, phones) and
    `custom`, the textual values of its custom fields (custom_search_words)."""
    return search_text_for(
        name,
        email,
        *phone_search_parts(phone),
        tax_id,
        street,
        *phone_search_parts(postal_code),
        city,
        contacts,
        *(custom or ()),
    )


def contacts_search_text(contacts: Iterable[tuple[str, str, str]]) -> str:
    """The searchable text of a customer's contact persons, from (name, email, phone) rows."""
    return search_text_for(
        *(part for name, email, phone in contacts for part in (name, email, *phone_search_parts(phone)))
    )


class CustomerKind(models.TextChoices):
    COMPANY = "company", _("Firma")
    PERSON = "person", _("Osoba")


class Customer(models.Model):
    kind = models.CharField(_("rodzaj"), max_length=10, choices=CustomerKind.choices, default=CustomerKind.COMPANY)
    name = models.CharField(_("nazwa"), max_length=200, db_collation=POLISH_COLLATION)
    tax_id = models.CharField(_("NIP"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    street = models.CharField(_("ulica"), max_length=200, blank=True)
    postal_code = models.CharField(_("kod pocztowy"), max_length=12, blank=True)
    city = models.CharField(_("miasto"), max_length=100, blank=True)
    country = models.CharField(_("kraj"), max_length=100, blank=True, default="Polska")
    website = models.URLField(_("strona WWW"), blank=True)
    # The category keys are indexed together with the id (Meta.indexes): a filtered
    # count is then an index-only scan.
    status = models.ForeignKey(
        "categories.CustomerStatus",
        verbose_name=_("status"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
    )
    type = models.ForeignKey(
        "categories.CustomerType",
        verbose_name=_("typ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
    )
    source = models.ForeignKey(
        "categories.ContactSource",
        verbose_name=_("źródło pozyskania"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
    )
    groups = models.ManyToManyField("categories.ContactGroup", verbose_name=_("grupy"), blank=True)
    tags = ArrayField(models.CharField(max_length=50), verbose_name=_("tagi"), default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opiekun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customers",
    )
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("obserwujący"), blank=True, related_name="followed_customers"
    )
    last_contact_at = models.DateTimeField(_("ostatni kontakt"), null=True, blank=True)
    # Who owns a deal of this customer: what a restricted Pracownik sees besides his own
    # customers (`customer_own_q`), indexed (GIN) so that rule stays an index scan on
    # this table instead of a join with every deal. Kept by the database: a trigger on
    # the deals table (crm.sales.deal_owners) rewrites it whatever writes deals (services,
    # hand-over, COPY), so Django never writes it (see save()).
    deal_owner_ids = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)
    search_text = models.TextField(editable=False, default="")
    # The contact persons' part of search_text, kept by the contact services.
    contacts_search_text = models.TextField(editable=False, default="")
    custom_fields = custom_fields_column()
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    class Meta:
        verbose_name = _("klient")
        verbose_name_plural = _("klienci")
        ordering = ("name", "id")
        indexes = [
            custom_fields_index("customer_custom_fields_gin"),
            models.Index(fields=["owner", "name"], name="customer_owner_name_idx"),
            models.Index(fields=["tax_id"], name="customer_tax_id_idx"),
            models.Index(fields=["email"], name="customer_email_idx"),
            # The list's sort orders, each with its id tie-break, so a page is an index walk.
            models.Index(fields=["last_contact_at", "id"], name="customer_last_contact_idx"),
            models.Index(
                models.F("last_contact_at").desc(nulls_last=True),
                models.F("id").desc(),
                name="customer_last_contact_desc",
            ),
            models.Index(fields=["created_at", "id"], name="customer_created_id_idx"),
            models.Index(fields=["status", "id"], name="customer_status_id_idx"),
            models.Index(fields=["type", "id"], name="customer_type_id_idx"),
            models.Index(fields=["source", "id"], name="customer_source_id_idx"),
            GinIndex(fields=["tags"], name="customer_tags_gin"),
            GinIndex(fields=["deal_owner_ids"], name="customer_deal_owners_gin"),
            models.Index(fields=["name", "id"], name="customer_name_id_idx"),
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="customer_search_trgm"),
            # the city filter (city__iexact is UPPER(city) = UPPER(...))
            models.Index(Upper("city"), models.F("id"), name="customer_city_id_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:  # Model.save's arguments, passed on
        self.search_text_refresh()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"} - {"deal_owner_ids"}
        elif not self._state.adding and not args and not kwargs.get("force_insert"):
            # an update writes every field but the one the database keeps (a copy of the
            # row loaded before a deal changed would otherwise undo the trigger's work)
            kwargs["update_fields"] = _SAVED_FIELDS
        super().save(*args, **kwargs)

    def search_text_refresh(self) -> None:
        self.search_text = customer_search_text(
            name=self.name,
            email=self.email,
            phone=self.phone,
            tax_id=self.tax_id,
            street=self.street,
            postal_code=self.postal_code,
            city=self.city,
            contacts=self.contacts_search_text,
            custom=custom_search_words(self.custom_fields),
        )


_SAVED_FIELDS = [f.name for f in Customer._meta.concrete_fields if not f.primary_key and f.name != "deal_owner_ids"]


class PortalPermission(models.TextChoices):
    """What a contact person may see in the client portal (crm.portal), each on its own."""

    INVOICES = "invoices", _("faktury")
    OFFERS = "offers", _("oferty")
    CONTRACTS = "contracts", _("umowy")
    PROJECTS = "projects", _("projekty")
    TICKETS = "tickets", _("zgłoszenia")
    KB = "kb", _("baza wiedzy")


class ContactPerson(models.Model):
    customer = models.ForeignKey(Customer, verbose_name=_("klient"), on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("imię i nazwisko"), max_length=200, db_collation=POLISH_COLLATION)
    position = models.CharField(_("stanowisko"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    custom_fields = custom_fields_column()
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    # The client portal (crm.portal): switched on by staff; the account itself (password) lives there.
    portal_enabled = models.BooleanField(_("dostęp do portalu klienta"), default=False)
    portal_permissions = ArrayField(
        models.CharField(max_length=20, choices=PortalPermission.choices),
        verbose_name=_("uprawnienia w portalu"),
        default=list,
        blank=True,
    )
    portal_own_tickets_only = models.BooleanField(
        _("w portalu tylko własne zgłoszenia"),
        default=False,
        help_text=_("Zamiast wszystkich zgłoszeń klienta osoba widzi tylko te, które sama założyła."),
    )
    # What the global search matches (crm.common.search), stored: a trigram index's
    # recheck then compares a column instead of folding name, e-mail and phone on every
    # candidate row (60 ms for the 5,600 "Kowalski" of the bench company; now 1-2 ms).
    search_fold = models.GeneratedField(
        expression=SearchFold("name", "email", "phone"), output_field=models.TextField(), db_persist=True
    )

    class Meta:
        verbose_name = _("osoba kontaktowa")
        verbose_name_plural = _("osoby kontaktowe")
        ordering = ("name", "id")
        indexes = [
            custom_fields_index("contact_custom_fields_gin"),
            GinIndex(fields=["search_fold"], opclasses=["gin_trgm_ops"], name="contact_search_trgm"),
            # Polish order, and the search of a common name reads the first few in that order
            models.Index(fields=["name", "id"], name="contact_name_id_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Wczytany")
    QUEUED = "queued", _("W kolejce")
    RUNNING = "running", _("W trakcie")
    DONE = "done", _("Zakończony")
    FAILED = "failed", _("Nieudany")


class DuplicateMode(models.TextChoices):
    SKIP = "skip", _("Pomiń istniejących klientów")
    UPDATE = "update", _("Zaktualizuj istniejących klientów")


class CustomerImport(models.Model):
    """A CSV file of records being imported by a Celery job (progress polled by the page):
    customers, or another record type named by `record_type` (crm/contacts/importers.py)."""

    record_type = models.CharField(max_length=30, default="customer", editable=False)

    file = models.FileField(_("plik"), upload_to="imports/%Y/%m/", max_length=300)
    original_name = models.CharField(_("nazwa pliku"), max_length=255)
    encoding = models.CharField(max_length=20, default="utf-8-sig")
    delimiter = models.CharField(max_length=1, default=",")
    header = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, blank=True)
    duplicate_mode = models.CharField(
        _("istniejący klienci"), max_length=10, choices=DuplicateMode.choices, default=DuplicateMode.SKIP
    )
    status = models.CharField(_("stan"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    failure = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import klientów")
        verbose_name_plural = _("importy klientów")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.original_name

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)


class CustomerRedirect(models.Model):
    """A customer merged into another (crm.contacts.merge): its row is gone, its old card
    URL leads to the survivor. Merging the survivor later moves these along."""

    old_id = models.BigIntegerField(_("dawny identyfikator"))
    old_name = models.CharField(_("dawna nazwa"), max_length=200, blank=True)
    customer = models.ForeignKey(
        Customer, verbose_name=_("klient"), on_delete=models.CASCADE, related_name="merged_from"
    )
    merged_at = models.DateTimeField(_("scalono"), auto_now_add=True)

    class Meta:
        verbose_name = _("scalony klient")
        verbose_name_plural = _("scaleni klienci")
        constraints = [models.UniqueConstraint(fields=["old_id"], name="customer_redirect_old_id_unique")]

    def __str__(self) -> str:
        return f"{self.old_name} → {self.customer_id}"
