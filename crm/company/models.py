"""Company-wide settings: one row per company schema."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.activity.context import current_request
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
        """The row of the active company schema; memoised for the current request."""
        request = current_request()
        memo = getattr(request, "_company_settings", None) if request is not None else None
        if memo is not None and memo[0] == connection.schema_name:
            return memo[1]
        obj = cls.objects.filter(pk=1).first()
        if obj is None:
            obj, _created = cls.objects.get_or_create(pk=1)
        if request is not None:
            request._company_settings = (connection.schema_name, obj)  # type: ignore[attr-defined]
        return obj

    @property
    def smtp_configured(self) -> bool:
        return bool(self.smtp_host)

    @property
    def allowed_ip_list(self) -> list[str]:
        return [line.strip() for line in self.allowed_ips.splitlines() if line.strip()]
