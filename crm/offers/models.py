"""Offers (estimates and proposals) sent to a customer, viewed and answered on a public
page of the company host. A proposal is an offer with a rich introduction text."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.catalog.models import currency_validator
from crm.common.search import SearchFold
from crm.documents.models import DocumentLine, DocumentTotals


class OfferLanguage(models.TextChoices):
    PL = "pl", _("polski")
    EN = "en", _("angielski")


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("szkic")
    SENT = "sent", _("wysłana")
    VIEWED = "viewed", _("obejrzana")
    ACCEPTED = "accepted", _("zaakceptowana")
    DECLINED = "declined", _("odrzucona")
    EXPIRED = "expired", _("wygasła")


def public_token() -> str:
    return secrets.token_urlsafe(32)


class Offer(DocumentTotals):
    number = models.CharField(_("numer"), max_length=60, blank=True)
    title = models.CharField(_("tytuł"), max_length=200, blank=True)
    customer = models.ForeignKey(
        "contacts.Customer", verbose_name=_("klient"), on_delete=models.PROTECT, related_name="offers"
    )
    deal = models.ForeignKey(
        "sales.Deal",
        verbose_name=_("szansa sprzedaży"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offers",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opiekun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offers",
    )
    status = models.CharField(_("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.DRAFT)
    issue_date = models.DateField(_("data wystawienia"))
    valid_until = models.DateField(_("ważna do"), null=True, blank=True)
    currency = models.CharField(_("waluta"), max_length=3, default="PLN", validators=[currency_validator])
    # The language of what the customer reads: the e-mail, the public page, the PDF.
    language = models.CharField(_("język oferty"), max_length=2, choices=OfferLanguage.choices, default="pl")
    # A proposal's introduction (sanitised HTML); empty for a plain estimate.
    introduction = models.TextField(_("wprowadzenie"), blank=True)
    terms = models.TextField(_("warunki"), blank=True)
    # The public page on the company host: /o/<token>/ (never guessable, never an id).
    public_token = models.CharField(max_length=64, unique=True, default=public_token, editable=False)
    sent_at = models.DateTimeField(_("wysłano"), null=True, blank=True)
    viewed_at = models.DateTimeField(_("obejrzano"), null=True, blank=True)
    answered_at = models.DateTimeField(_("odpowiedź"), null=True, blank=True)
    accepted_name = models.CharField(_("zaakceptował(a)"), max_length=200, blank=True)
    answer_ip = models.GenericIPAddressField(_("adres IP odpowiedzi"), null=True, blank=True)
    decline_comment = models.TextField(_("powód odrzucenia"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    class Meta:
        verbose_name = _("oferta")
        verbose_name_plural = _("oferty")
        ordering = ("-issue_date", "-id")
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~models.Q(number=""), name="offer_number_unique"),
        ]
        indexes = [
            models.Index(fields=["customer", "-issue_date"], name="offer_customer_idx"),
            models.Index(fields=["status", "valid_until"], name="offer_status_valid_idx"),
            # the global search (number, title)
            GinIndex(OpClass(SearchFold("number", "title"), name="gin_trgm_ops"), name="offer_search_fold_trgm"),
        ]

    def __str__(self) -> str:
        if self.number:
            return self.number
        return self.title or str(_("Oferta (szkic)"))


class OfferLine(DocumentLine):
    document = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="lines")

    class Meta(DocumentLine.Meta):
        verbose_name = _("pozycja oferty")
        verbose_name_plural = _("pozycje oferty")
