"""Portal accounts: the third kind of person (next to staff and the operator).

A contact person's own password for the client portal, in the company's schema: the
same e-mail may be a contact in two companies, or staff in one and a contact in another,
and nothing links them. Not a `django.contrib.auth` user: a portal session never
becomes a staff session (crm/portal/auth.py).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils.translation import gettext_lazy as _


class PortalAccount(models.Model):
    contact = models.OneToOneField(
        "contacts.ContactPerson", verbose_name=_("osoba kontaktowa"), on_delete=models.CASCADE, related_name="portal"
    )
    password = models.CharField(_("hasło"), max_length=128)
    last_login = models.DateTimeField(_("ostatnie logowanie"), null=True, blank=True)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    # Optional 2FA (crm/portal/twofa.py): the TOTP key encrypted like the company's secrets,
    # and the unused recovery codes as password hashes.
    totp_secret = models.TextField(_("klucz weryfikacji dwuetapowej"), blank=True)
    recovery_codes = models.JSONField(_("kody zapasowe"), default=list, blank=True)

    class Meta:
        verbose_name = _("konto w portalu klienta")
        verbose_name_plural = _("konta w portalu klienta")

    def __str__(self) -> str:
        return str(self.contact)

    # The names PasswordResetTokenGenerator reads (the set-password links of crm/portal/tokens.py).
    @property
    def email(self) -> str:
        return self.contact.email

    def password_set(self, raw: str | None) -> None:
        self.password = make_password(raw)

    def password_check(self, raw: str) -> bool:
        return bool(raw) and check_password(raw, self.password)

    @property
    def twofa_on(self) -> bool:
        return bool(self.totp_secret)

    @property
    def has_password(self) -> bool:
        return bool(self.password) and not self.password.startswith("!")


class PortalBranding(models.Model):
    """The portal's colour, set by Szef in Settings > Portal klienta (the logo is the
    company's own, CompanySettings.logo). One row per company schema."""

    primary_color = models.CharField(_("kolor główny"), max_length=7, blank=True)
    # Black or white, whichever reads better on the primary colour (crm/portal/branding.py).
    text_color = models.CharField(_("kolor tekstu na kolorze głównym"), max_length=7, blank=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    class Meta:
        verbose_name = _("wygląd portalu klienta")
        verbose_name_plural = _("wygląd portalu klienta")

    def __str__(self) -> str:
        return self.primary_color or "-"

    @classmethod
    def current(cls) -> PortalBranding:
        obj = cls.objects.order_by("pk").first()
        return obj if obj is not None else cls(pk=None)


class SharedProjectFile(models.Model):
    """A project's file (crm.notes Attachment) that staff shared with the customer: the
    portal lists and serves only these."""

    attachment = models.OneToOneField(
        "notes.Attachment", verbose_name=_("plik"), on_delete=models.CASCADE, related_name="portal_share"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(_("udostępniono"), auto_now_add=True)

    class Meta:
        verbose_name = _("plik udostępniony klientowi")
        verbose_name_plural = _("pliki udostępnione klientowi")

    def __str__(self) -> str:
        return str(self.attachment)


class ProjectMessage(models.Model):
    """The discussion of a project between staff and the customer's portal users."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("projekt"), on_delete=models.CASCADE, related_name="portal_messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pracownik"),
    )
    contact = models.ForeignKey(
        "contacts.ContactPerson",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("osoba kontaktowa"),
    )
    author_name = models.CharField(_("autor"), max_length=200)
    body = models.TextField(_("treść"))
    file = models.FileField(_("załącznik"), upload_to="portal/messages/%Y/%m/", max_length=300, blank=True)
    file_name = models.CharField(_("nazwa pliku"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("napisano"), auto_now_add=True)
    # A deleted message stays in the thread as "Wiadomość usunięta": its text and file are gone.
    deleted_at = models.DateTimeField(_("usunięto"), null=True, blank=True)

    class Meta:
        verbose_name = _("wiadomość w projekcie")
        verbose_name_plural = _("wiadomości w projekcie")
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["project", "created_at"], name="portal_message_project_idx")]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def from_customer(self) -> bool:
        return self.author_id is None and self.contact_id is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
