"""RODO (GDPR) records of a company: marketing consents of persons, with their history,
and the company's processing register (issue 18).

Consents are a history, never edited in place: each change is a new `ConsentEvent`, and
the newest event of a person and channel is the current state (no event: no consent).
A consent belongs to a customer (a natural person) or to a contact person, never both.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsentChannel(models.TextChoices):
    EMAIL = "email", _("Marketing e-mailowy")
    PHONE = "phone", _("Marketing telefoniczny")


class ConsentSource(models.TextChoices):
    FORM = "form", _("Formularz")
    WEB_FORM = "web_form", _("Formularz na stronie WWW")
    PHONE = "phone", _("Rozmowa telefoniczna")
    EMAIL = "email", _("E-mail")
    PAPER = "paper", _("Dokument papierowy")
    IMPORT = "import", _("Import danych")
    OTHER = "other", _("Inne")


class ConsentEvent(models.Model):
    """One change of one consent: given (`granted`) or withdrawn, when, how, recorded by whom."""

    customer = models.ForeignKey(
        "contacts.Customer",
        verbose_name=_("klient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="consent_events",
    )
    contact = models.ForeignKey(
        "contacts.ContactPerson",
        verbose_name=_("osoba kontaktowa"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="consent_events",
    )
    channel = models.CharField(_("zgoda"), max_length=10, choices=ConsentChannel.choices)
    granted = models.BooleanField(_("udzielona"))
    given_at = models.DateTimeField(_("kiedy"), default=timezone.now)
    source = models.CharField(_("sposób"), max_length=10, choices=ConsentSource.choices)
    note = models.CharField(_("uwagi"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zapisał"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("zapisano"), auto_now_add=True)

    class Meta:
        verbose_name = _("zmiana zgody")
        verbose_name_plural = _("historia zgód")
        ordering = ("-given_at", "-id")
        indexes = [
            models.Index(fields=["customer", "channel", "-given_at"], name="consent_customer_idx"),
            models.Index(fields=["contact", "channel", "-given_at"], name="consent_contact_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(customer__isnull=False, contact__isnull=True)
                | Q(customer__isnull=True, contact__isnull=False),
                name="consent_one_person",
            )
        ]

    def __str__(self) -> str:
        state = _("udzielona") if self.granted else _("wycofana")
        return f"{self.get_channel_display()}: {state}"

    def save(self, *args: Any, **kwargs: Any) -> None:  # Model.save's arguments, passed on
        if not self._state.adding:
            raise ValueError("A consent event is history: record a new one instead of editing it.")
        super().save(*args, **kwargs)


class ProcessingEntry(models.Model):
    """The company's own wording of one row of its processing register (Settings >
    Rejestr czynności przetwarzania). Rows without one show the defaults in code
    (crm.privacy.register)."""

    key = models.CharField(max_length=40, unique=True)
    purpose = models.TextField(_("cel przetwarzania"))
    legal_basis = models.TextField(_("podstawa prawna"))
    retention = models.TextField(_("okres przechowywania"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    class Meta:
        verbose_name = _("pozycja rejestru czynności przetwarzania")
        verbose_name_plural = _("rejestr czynności przetwarzania")
        ordering = ("key",)

    def __str__(self) -> str:
        return self.key
