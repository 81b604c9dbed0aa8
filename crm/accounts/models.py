"""Users. The same model lives in every schema: staff of one company in that
company's schema (so the same e-mail can exist in two companies), the service
operator's accounts in the public schema."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SZEF = "szef", _("Szef")
    KIEROWNIK = "kierownik", _("Kierownik")
    PRACOWNIK = "pracownik", _("Pracownik")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_company_owner(self, *, email: str, name: str = "", language: str = "pl") -> User:
        """The Szef a new company starts with ("!" is an unusable password the caller replaces).

        Provisioning (tenants, a lower layer) reaches this through `get_user_model()`."""
        return self.create(email=email, password="!", name=name, role=Role.SZEF, language=language)

    def szefs(self) -> models.QuerySet[User]:
        """Active Szefs of the active company schema, oldest first (lower layers reach
        this through `get_user_model()` instead of knowing the rank's name)."""
        return self.filter(role=Role.SZEF, is_active=True).order_by("id")

    def company_owner(self) -> User | None:
        """The first active Szef of the active company schema (normally the one who signed up)."""
        return self.szefs().first()

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.SZEF)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail"), unique=True)
    name = models.CharField(_("imię i nazwisko"), max_length=150, blank=True)
    role = models.CharField(_("ranga"), max_length=20, choices=Role.choices, default=Role.PRACOWNIK)
    is_active = models.BooleanField(_("aktywny"), default=True)
    is_staff = models.BooleanField(_("operator serwisu"), default=False)
    date_joined = models.DateTimeField(_("dołączył"), default=timezone.now)
    language = models.CharField(_("język"), max_length=8, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("użytkownik")
        verbose_name_plural = _("użytkownicy")
        ordering = ("name", "email")

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return (self.name or self.email).split(" ")[0]

    @property
    def is_szef(self) -> bool:
        return self.role == Role.SZEF

    def save(self, *args: Any, **kwargs: Any) -> None:
        # `_password` is set by set_password() only (not by a hash upgrade at login): a
        # new password, by any path (profile, reset, Szef, API, command), revokes every
        # API token of the person.
        password_changed = self.pk is not None and getattr(self, "_password", None) is not None
        super().save(*args, **kwargs)
        if password_changed:
            ApiToken.objects.filter(user_id=self.pk).delete()


INVITATION_VALID_DAYS = 7


class Invitation(models.Model):
    """A single-use link that lets a person join this company with a given rank.

    Only a SHA-256 hash of the token is stored: the link is shown and sent once.
    """

    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("imię i nazwisko"), max_length=150, blank=True)
    role = models.CharField(_("ranga"), max_length=20, choices=Role.choices, default=Role.PRACOWNIK)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        "accounts.User", verbose_name=_("zaprosił"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)
    expires_at = models.DateTimeField(_("wygasa"))
    accepted_at = models.DateTimeField(_("przyjęto"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("anulowano"), null=True, blank=True)
    user = models.ForeignKey(
        "accounts.User", verbose_name=_("konto"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("zaproszenie")
        verbose_name_plural = _("zaproszenia")
        ordering = ("-created_at", "id")
        indexes = [models.Index(fields=["email"], name="invitation_email_idx")]

    def __str__(self) -> str:
        return self.email

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class ApiToken(models.Model):
    """A key for `Authorization: Token KEY` (crm.accounts.tokens). A person may hold
    several, each named; only a SHA-256 hash of the key is stored (the key is shown
    once, when it is issued), plus its first characters to tell tokens apart."""

    user = models.ForeignKey(
        "accounts.User", verbose_name=_("osoba"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nazwa"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("początek klucza"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)
    last_used_at = models.DateTimeField(_("ostatnio użyty"), null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("tokeny API")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
