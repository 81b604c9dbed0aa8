"""Contracts with customers: a type from a colour list Szef keeps in Settings, the value
and period, the status, and the customer's signature on a public page of the company
host (typed name, time, address and the SHA-256 of the text signed). A renewal is a new
contract linked to the one it renews (`renewed_from`), so the history stays."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from crm.catalog.models import currency_validator
from crm.categories.models import ColourCategory
from crm.common.search import SearchFold

DEFAULT_REMINDER_DAYS = 30


class ContractType(ColourCategory):
    class Meta(ColourCategory.Meta):
        verbose_name = _("typ umowy")
        verbose_name_plural = _("typy umów")
        constraints = [models.UniqueConstraint(Lower("name"), name="contracttype_name_ci_unique")]


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("szkic")
    SENT = "sent", _("wysłana")
    SIGNED = "signed", _("podpisana")
    ACTIVE = "active", _("aktywna")
    EXPIRED = "expired", _("wygasła")
    TERMINATED = "terminated", _("rozwiązana")


def public_token() -> str:
    return secrets.token_urlsafe(32)


class Contract(models.Model):
    subject = models.CharField(_("przedmiot umowy"), max_length=200)
    customer = models.ForeignKey(
        "contacts.Customer", verbose_name=_("klient"), on_delete=models.PROTECT, related_name="contracts"
    )
    deal = models.ForeignKey(
        "sales.Deal",
        verbose_name=_("szansa sprzedaży"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts",
    )
    type = models.ForeignKey(
        ContractType,
        verbose_name=_("typ umowy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opiekun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts",
    )
    value = models.DecimalField(_("wartość"), max_digits=14, decimal_places=2, default=0)
    currency = models.CharField(_("waluta"), max_length=3, default="PLN", validators=[currency_validator])
    start_date = models.DateField(_("data rozpoczęcia"))
    end_date = models.DateField(_("data zakończenia"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    description = models.TextField(_("treść umowy"), blank=True)
    # The public page on the company host: /c/<token>/ (never guessable, never an id).
    public_token = models.CharField(max_length=64, unique=True, default=public_token, editable=False)
    sent_at = models.DateTimeField(_("wysłano"), null=True, blank=True)
    signed_at = models.DateTimeField(_("podpisano"), null=True, blank=True)
    signed_by = models.CharField(_("podpisał(a)"), max_length=200, blank=True)
    signed_ip = models.GenericIPAddressField(_("adres IP podpisu"), null=True, blank=True)
    signed_hash = models.CharField(_("skrót SHA-256 podpisanej treści"), max_length=64, blank=True)
    renewed_from = models.ForeignKey(
        "self",
        verbose_name=_("odnowienie umowy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewals",
    )
    # The owner's reminder before the end was sent (once; cleared when the end date changes).
    reminded_at = models.DateTimeField(_("przypomnienie wysłano"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    class Meta:
        verbose_name = _("umowa")
        verbose_name_plural = _("umowy")
        ordering = ("-start_date", "-id")
        indexes = [
            models.Index(fields=["customer", "-start_date"], name="contract_customer_idx"),
            models.Index(fields=["status", "end_date"], name="contract_status_end_idx"),
            GinIndex(OpClass(SearchFold("subject"), name="gin_trgm_ops"), name="contract_search_fold_trgm"),
        ]

    def __str__(self) -> str:
        return self.subject


class ContractSettings(models.Model):
    """The company's contract settings (one row): how many days before a contract's end
    its owner is reminded."""

    reminder_days = models.PositiveSmallIntegerField(
        _("przypomnienie (dni przed końcem)"), default=DEFAULT_REMINDER_DAYS
    )

    class Meta:
        verbose_name = _("ustawienia umów")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> ContractSettings:
        row = cls.objects.order_by("pk").first()
        return row if row is not None else cls.objects.create()
