"""Support tickets (seed 002): a customer's request handled by a department, with a
priority and a status from colour lists Szef keeps in Settings (the status "Zamknięte" is
locked: renamed and recoloured, never deleted), a thread of replies (staff, the contact,
internal notes) and numbers per company. A reply from staff is e-mailed to the contact
with the ticket token in the subject; the contact's answer comes back through the
inbound endpoint (/inbound/email/) and is threaded by that token."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from crm.categories.models import ColourCategory
from crm.common.custom_fields import custom_fields_column, custom_fields_index
from crm.common.search import SearchFold


class TicketPriority(ColourCategory):
    class Meta(ColourCategory.Meta):
        verbose_name = _("priorytet zgłoszeń")
        verbose_name_plural = _("priorytety zgłoszeń")
        constraints = [models.UniqueConstraint(Lower("name"), name="ticketpriority_name_ci_unique")]


class TicketStatusCode(models.TextChoices):
    CLOSED = "closed", _("Zamknięte")


class TicketStatus(ColourCategory):
    """`code` "closed" marks the one locked status: a ticket moved there is closed."""

    code = models.CharField(max_length=20, choices=TicketStatusCode.choices, blank=True)

    class Meta(ColourCategory.Meta):
        verbose_name = _("status zgłoszeń")
        verbose_name_plural = _("statusy zgłoszeń")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="ticketstatus_name_ci_unique"),
            models.UniqueConstraint(fields=["code"], condition=~models.Q(code=""), name="ticketstatus_code_unique"),
        ]


class Department(models.Model):
    """A support department: its members see its tickets; e-mail to its address makes one."""

    name = models.CharField(_("nazwa"), max_length=100)
    email = models.EmailField(_("adres e-mail"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("członkowie"), blank=True, related_name="ticket_departments"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dział")
        verbose_name_plural = _("działy")
        ordering = ("name", "id")
        constraints = [models.UniqueConstraint(Lower("name"), name="department_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


def ticket_token() -> str:
    return secrets.token_hex(5)


class Ticket(models.Model):
    number = models.PositiveIntegerField(_("numer"), unique=True, editable=False)
    subject = models.CharField(_("temat"), max_length=200)
    customer = models.ForeignKey(
        "contacts.Customer",
        verbose_name=_("klient"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    contact = models.ForeignKey(
        "contacts.ContactPerson",
        verbose_name=_("osoba kontaktowa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    # Who wrote in when no contact person matched the sender (inbound e-mail).
    requester_email = models.EmailField(_("e-mail zgłaszającego"), blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("dział"), null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    priority = models.ForeignKey(
        TicketPriority,
        verbose_name=_("priorytet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    status = models.ForeignKey(TicketStatus, verbose_name=_("status"), on_delete=models.PROTECT, related_name="tickets")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("przypisane do"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    # In the subject of every e-mail about the ticket: "[#T-12-<token>]" threads replies.
    token = models.CharField(max_length=20, default=ticket_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    custom_fields = custom_fields_column()
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)
    first_response_at = models.DateTimeField(_("pierwsza odpowiedź"), null=True, blank=True)
    closed_at = models.DateTimeField(_("zamknięto"), null=True, blank=True)

    class Meta:
        verbose_name = _("zgłoszenie")
        verbose_name_plural = _("zgłoszenia")
        ordering = ("-created_at", "-id")
        indexes = [
            custom_fields_index("ticket_custom_fields_gin"),
            models.Index(fields=["customer", "-created_at"], name="ticket_customer_idx"),
            models.Index(fields=["status", "department"], name="ticket_status_dept_idx"),
            models.Index(fields=["assignee"], name="ticket_assignee_idx"),
            GinIndex(OpClass(SearchFold("subject"), name="gin_trgm_ops"), name="ticket_search_fold_trgm"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.subject}"

    @property
    def reference(self) -> str:
        """What the subject of e-mails about the ticket carries: "[#T-12-<token>]"."""
        return f"[#T-{self.number}-{self.token}]"

    @property
    def requester(self) -> str:
        if self.contact_id and self.contact is not None:
            return self.contact.email or self.contact.name
        return self.requester_email


class TicketReply(models.Model):
    """One message of the thread: from staff (`author`), from the contact (`contact`) or
    from an e-mail address nobody matched (`from_email`). An internal note is never
    e-mailed and never shown to the contact."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(_("treść"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact = models.ForeignKey(
        "contacts.ContactPerson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_email = models.EmailField(_("od"), blank=True)
    internal = models.BooleanField(_("notatka wewnętrzna"), default=False)
    # The e-mail it came from: posting the same message twice makes one reply.
    message_id = models.CharField(max_length=255, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("dodano"), auto_now_add=True)

    class Meta:
        verbose_name = _("odpowiedź w zgłoszeniu")
        verbose_name_plural = _("odpowiedzi w zgłoszeniach")
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["message_id"], condition=~models.Q(message_id=""), name="ticketreply_message_id_unique"
            )
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def from_staff(self) -> bool:
        return self.author_id is not None


class TicketAttachment(models.Model):
    reply = models.ForeignKey(TicketReply, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("plik"), upload_to="tickets/%Y/%m/", max_length=300)
    name = models.CharField(_("nazwa"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("załącznik")
        verbose_name_plural = _("załączniki")
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name


class PredefinedReply(models.Model):
    """A ready answer staff insert in the reply form; `owner` empty: the company's."""

    title = models.CharField(_("tytuł"), max_length=120)
    body = models.TextField(_("treść"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("właściciel"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gotowa odpowiedź")
        verbose_name_plural = _("gotowe odpowiedzi")
        ordering = ("title", "id")

    def __str__(self) -> str:
        return self.title


def inbound_secret() -> str:
    return secrets.token_urlsafe(32)


class TicketSettings(models.Model):
    """The company's ticket settings (one row): the secret the inbound e-mail endpoint
    requires (the mail provider's webhook sends it)."""

    inbound_secret = models.CharField(max_length=100, default=inbound_secret)

    class Meta:
        verbose_name = _("ustawienia zgłoszeń")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> TicketSettings:
        row = cls.objects.order_by("pk").first()
        return row if row is not None else cls.objects.create()
