"""E-mails to and from a customer, kept for its timeline."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.company.models import EmailTemplate
from crm.contacts.models import ContactPerson, Customer


class EmailDirection(models.TextChoices):
    OUT = "out", _("wysłany")
    IN = "in", _("odebrany")


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("w kolejce")
    SENT = "sent", _("wysłany")
    FAILED = "failed", _("nie wysłano")
    LOGGED = "logged", _("zapisany z kopii BCC")


class CustomerEmail(models.Model):
    customer = models.ForeignKey(Customer, verbose_name=_("klient"), on_delete=models.CASCADE, related_name="emails")
    contact = models.ForeignKey(
        ContactPerson, verbose_name=_("osoba kontaktowa"), on_delete=models.SET_NULL, null=True, blank=True
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("nadawca"), on_delete=models.SET_NULL, null=True, blank=True
    )
    template = models.ForeignKey(
        EmailTemplate, verbose_name=_("szablon"), on_delete=models.SET_NULL, null=True, blank=True
    )
    direction = models.CharField(
        _("kierunek"), max_length=3, choices=EmailDirection.choices, default=EmailDirection.OUT
    )
    from_address = models.CharField(_("od"), max_length=300, blank=True)
    to = models.TextField(_("do"), max_length=3000)
    cc = models.TextField(_("DW"), max_length=3000, blank=True)
    subject = models.CharField(_("temat"), max_length=300)
    body = models.TextField(_("treść"), max_length=50000)
    status = models.CharField(_("stan"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED)
    error = models.TextField(_("odpowiedź serwera"), blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    sent_at = models.DateTimeField(_("wysłano"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-maile")
        indexes = [models.Index(fields=["customer", "-created_at", "-id"], name="emails_customer_newest")]

    def __str__(self) -> str:
        return self.subject

    @property
    def to_list(self) -> list[str]:
        return [a for a in self.to.split(", ") if a]

    @property
    def cc_list(self) -> list[str]:
        return [a for a in self.cc.split(", ") if a]


class CustomerEmailAttachment(models.Model):
    email = models.ForeignKey(CustomerEmail, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("plik"), upload_to="emails/%Y/%m/", max_length=300)
    name = models.CharField(_("nazwa"), max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("załącznik e-maila")
        verbose_name_plural = _("załączniki e-maili")

    def __str__(self) -> str:
        return self.name


def bcc_token() -> str:
    return secrets.token_hex(12)


class MailboxSettings(models.Model):
    """One row per company: the secret part of its BCC address (bcc+<token>@<inbound domain>)."""

    bcc_token = models.CharField(max_length=40, default=bcc_token)

    class Meta:
        verbose_name = _("ustawienia poczty")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> MailboxSettings:
        obj = cls.objects.filter(pk=1).first()
        if obj is None:
            obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class UnmatchedEmail(models.Model):
    """A BCC copy that matched no customer, kept for Szef (Settings > Niedopasowane
    e-maile) to attach to a customer or dismiss; purged after `UNMATCHED_KEEP_DAYS`.
    Its attachments are not kept, only their names."""

    from_address = models.CharField(_("od"), max_length=300, blank=True)
    to = models.TextField(_("do"), max_length=3000, blank=True)
    cc = models.TextField(_("DW"), max_length=3000, blank=True)
    subject = models.CharField(_("temat"), max_length=300)
    body = models.TextField(_("treść"), max_length=50000, blank=True)
    attachment_names = models.JSONField(_("załączniki"), default=list, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    received_at = models.DateTimeField(_("otrzymano"), default=timezone.now)

    class Meta:
        verbose_name = _("niedopasowany e-mail")
        verbose_name_plural = _("niedopasowane e-maile")
        ordering = ("-received_at", "-id")
        indexes = [models.Index(fields=["-received_at"], name="emails_unmatched_received")]

    def __str__(self) -> str:
        return self.subject
