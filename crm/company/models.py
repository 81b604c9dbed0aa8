"""Company-wide settings: one row per company schema."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.common.compiled import CompiledQuery
from tenants.db import connection


class SmtpSecurity(models.TextChoices):
    STARTTLS = "starttls", _("STARTTLS (zwykle port 587)")
    SSL = "ssl", _("SSL/TLS (zwykle port 465)")
    NONE = "none", _("Brak szyfrowania")


def logo_upload_to(instance: CompanySettings, filename: str) -> str:
    # TenantFileSystemStorage already puts this under the company's own folder.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"company/logo.{suffix}"


class CompanySettings(models.Model):
    restrict_pracownik_to_own = models.BooleanField(
        _("Pracownik widzi tylko swoich klientów, szanse i zadania"), default=False
    )
    # What Szef lets a Pracownik do with customers (Kierownik and Szef always may).
    # Defaults follow Pipedrive's regular user: may import and delete their own
    # customers one by one, may not export the list.
    pracownik_may_import = models.BooleanField(_("Pracownik może importować klientów"), default=True)
    pracownik_may_export = models.BooleanField(_("Pracownik może eksportować listę klientów"), default=False)
    pracownik_may_delete = models.BooleanField(_("Pracownik może usuwać swoich klientów"), default=True)

    # Company info (the name itself lives on tenants.Company, shown in the header).
    street = models.CharField(_("ulica i numer"), max_length=200, blank=True)
    postal_code = models.CharField(_("kod pocztowy"), max_length=12, blank=True)
    city = models.CharField(_("miasto"), max_length=100, blank=True)
    country = models.CharField(_("kraj"), max_length=100, blank=True, default="Polska")
    tax_id = models.CharField(_("NIP"), max_length=10, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail firmy"), blank=True)
    website = models.URLField(_("strona WWW"), blank=True)
    logo = models.ImageField(_("logo"), upload_to=logo_upload_to, blank=True)

    # Outgoing e-mail (Settings > E-mail). The password is stored encrypted.
    smtp_host = models.CharField(_("serwer SMTP"), max_length=255, blank=True)
    smtp_port = models.PositiveIntegerField(
        _("port"), default=587, validators=[MinValueValidator(1), MaxValueValidator(65535)]
    )
    smtp_user = models.CharField(_("użytkownik SMTP"), max_length=255, blank=True)
    smtp_password_encrypted = models.TextField(blank=True, editable=False)
    smtp_security = models.CharField(
        _("szyfrowanie"), max_length=10, choices=SmtpSecurity.choices, default=SmtpSecurity.STARTTLS
    )
    smtp_from = models.CharField(_("adres nadawcy"), max_length=254, blank=True)

    # Invoicing (crm.invoicing, crm.offers): the seller's data and numbering on documents.
    bank_account = models.CharField(_("numer rachunku bankowego (IBAN)"), max_length=34, blank=True)
    place_of_issue = models.CharField(_("miejsce wystawienia"), max_length=100, blank=True)
    payment_term_days = models.PositiveIntegerField(
        _("domyślny termin płatności (dni)"), default=14, validators=[MaxValueValidator(365)]
    )
    # Number patterns: {YYYY} year, {YY} two-digit year, {MM} month, {NR} the number in the period.
    invoice_number_pattern = models.CharField(_("wzór numeru faktury"), max_length=60, default="FV/{YYYY}/{MM}/{NR}")
    proforma_number_pattern = models.CharField(
        _("wzór numeru faktury pro forma"), max_length=60, default="PRO/{YYYY}/{MM}/{NR}"
    )
    correction_number_pattern = models.CharField(
        _("wzór numeru faktury korygującej"), max_length=60, default="KOR/{YYYY}/{MM}/{NR}"
    )
    offer_number_pattern = models.CharField(_("wzór numeru oferty"), max_length=60, default="OF/{YYYY}/{NR}")
    # "monthly" or "yearly": when the {NR} of a series starts again from 1.
    number_reset = models.CharField(
        _("numeracja od nowa"),
        max_length=10,
        choices=[("monthly", _("co miesiąc")), ("yearly", _("co rok"))],
        default="monthly",
    )
    pracownik_may_issue_invoices = models.BooleanField(_("Pracownik może wystawiać faktury"), default=False)
    # KSeF (Krajowy System e-Faktur): token authentication, per company.
    ksef_enabled = models.BooleanField(_("wysyłaj faktury do KSeF"), default=False)
    ksef_environment = models.CharField(
        _("środowisko KSeF"),
        max_length=10,
        choices=[("test", _("testowe")), ("demo", _("przedprodukcyjne (demo)")), ("prod", _("produkcyjne"))],
        default="test",
    )
    ksef_api_url = models.URLField(_("adres API KSeF (zamiast domyślnego)"), blank=True)
    ksef_token_encrypted = models.TextField(blank=True, editable=False)

    # Security.
    mfa_required = models.BooleanField(_("Wymagaj weryfikacji dwuetapowej od wszystkich pracowników"), default=False)
    allowed_ips = models.TextField(_("dozwolone adresy IP"), blank=True)
    session_timeout_minutes = models.PositiveIntegerField(
        _("wylogowanie po bezczynności (minuty)"),
        default=0,
        validators=[MaxValueValidator(60 * 24 * 30)],
    )

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "crmsettings_companysettings"  # the table keeps the name it had under crm.settings
        verbose_name = _("ustawienia firmy")
        verbose_name_plural = _("ustawienia firmy")

    def __str__(self) -> str:
        return str(_("Ustawienia firmy"))

    @classmethod
    def current(cls) -> CompanySettings:
        """The row of the active company schema; memoised inside `company_settings_memo()`
        (one web request: the header, the guards and the pages read it many times)."""
        memo = _memo.get()
        if memo is not None and connection.schema_name in memo:
            return memo[connection.schema_name]
        obj = _CURRENT.first(1)
        if obj is None:
            obj, _created = cls.objects.get_or_create(pk=1)
        if memo is not None:
            memo[connection.schema_name] = obj
        return obj

    @property
    def smtp_configured(self) -> bool:
        return bool(self.smtp_host)

    @property
    def allowed_ip_list(self) -> list[str]:
        return [line.strip() for line in self.allowed_ips.splitlines() if line.strip()]


# Facts that higher layers read with the settings row, as subqueries of its one statement
# (`settings_annotation_register`): an attribute of the row `current()` returns, absent
# from a row read otherwise (then they are not known: read them yourself).
_annotations: dict[str, Callable[[], Any]] = {}


def settings_annotation_register(name: str, expression: Callable[[], Any]) -> None:
    """`current()` reads `expression()` (a subquery) as the attribute `name` of the row."""
    _annotations[name] = expression
    _CURRENT.reset()


# `current()`'s statement, compiled once per process (each request runs it: crm.common.compiled).
_CURRENT: CompiledQuery[CompanySettings] = CompiledQuery(
    lambda key: CompanySettings.objects.filter(pk=key).annotate(**{name: make() for name, make in _annotations.items()})
)


# The per-request memo of `CompanySettings.current()`, by schema (a cache, not who acts).
_memo: ContextVar[dict[str, CompanySettings] | None] = ContextVar("imcrm_company_settings_memo", default=None)


@contextmanager
def company_settings_memo() -> Iterator[None]:
    """Read the settings row once inside the block (crm.settings.middleware wraps each request)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def company_settings_memo_refresh(obj: CompanySettings) -> None:
    """After a save: the rest of the request reads the saved row."""
    memo = _memo.get()
    if memo is not None:
        memo[connection.schema_name] = obj


class EmailTemplateKind(models.TextChoices):
    """What a template is for: "custom" ones are picked by staff writing to a customer;
    every other kind replaces the built-in text of one of the product's own e-mails."""

    CUSTOM = "custom", _("Własny (wiadomość z karty klienta)")
    OFFER = "offer", _("Oferta wysłana klientowi")
    INVOICE = "invoice", _("Faktura wysłana klientowi")
    TASK_REMINDER = "task_reminder", _("Przypomnienie o zadaniu")
    TICKET_REPLY = "ticket_reply", _("Odpowiedź w zgłoszeniu")
    INVITATION = "invitation", _("Zaproszenie do zespołu")
    PASSWORD_RESET = "password_reset", _("Reset hasła")


class EmailTemplate(models.Model):
    """A subject and body per language with merge fields (`{{ customer.name }}`), rendered
    by `crm.company.mail_templates` only: never a Django template."""

    kind = models.CharField(_("rodzaj"), max_length=30, choices=EmailTemplateKind.choices)
    name = models.CharField(_("nazwa"), max_length=120)
    subject_pl = models.CharField(_("temat (polski)"), max_length=300)
    body_pl = models.TextField(_("treść (polski)"), max_length=20000)
    subject_en = models.CharField(_("temat (angielski)"), max_length=300, blank=True)
    body_en = models.TextField(_("treść (angielski)"), max_length=20000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("szablon e-maila")
        verbose_name_plural = _("szablony e-maili")
        ordering = ("kind", "name", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=~models.Q(kind="custom"), name="company_emailtemplate_one_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def text(self, language: str) -> tuple[str, str]:
        """(subject, body) in `language`; each part in Polish where its English is empty."""
        if language.startswith("en"):
            subject = self.subject_en if self.subject_en.strip() else self.subject_pl
            body = self.body_en if self.body_en.strip() else self.body_pl
            return subject, body
        return self.subject_pl, self.body_pl
