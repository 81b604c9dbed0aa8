"""Activity log: who did what and when, inside one company."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.activity.messages import event_text


class ActivityKind(models.TextChoices):
    LOGIN = "login", _("Logowanie")
    LOGIN_FAILED = "login_failed", _("Nieudane logowanie")
    LOGOUT = "logout", _("Wylogowanie")
    CREATE = "create", _("Utworzenie")
    UPDATE = "update", _("Zmiana")
    DELETE = "delete", _("Usunięcie")
    SETTINGS = "settings", _("Zmiana ustawień")
    STAFF = "staff", _("Użytkownicy")
    EXPORT = "export", _("Eksport")
    IMPORT = "import", _("Import")
    OTHER = "other", _("Inne")


class ActivityEntry(models.Model):
    created_at = models.DateTimeField(_("kiedy"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The e-mail at the time: stays readable after the user is renamed, and names
    # the address typed in a failed login.
    user_label = models.CharField(_("użytkownik"), max_length=254, blank=True)
    kind = models.CharField(_("rodzaj"), max_length=20, choices=ActivityKind.choices)
    object_type = models.CharField(_("typ obiektu"), max_length=100, blank=True)
    object_id = models.CharField(_("id obiektu"), max_length=64, blank=True)
    object_repr = models.CharField(_("obiekt"), max_length=200, blank=True)
    # What happened, as an event code ("customer.created", "deal.updated", "export") with
    # its parameters: the text is rendered in the reader's language (crm/activity/messages.py).
    # `message` is the text of rows written before codes existed (and a Polish fallback).
    code = models.CharField(_("zdarzenie"), max_length=60, blank=True)
    params = models.JSONField(_("parametry"), default=dict, blank=True)
    message = models.CharField(_("opis"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("adres IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("wpis dziennika aktywności")
        verbose_name_plural = _("dziennik aktywności")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["kind", "-created_at"], name="activity_kind_created_idx"),
            models.Index(fields=["user", "-created_at"], name="activity_user_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user_label} {self.kind} {self.object_repr}"

    @property
    def text(self) -> str:
        """The description in the active language."""
        return event_text(code=self.code, params=self.params, object_type=self.object_type, fallback=self.message)
