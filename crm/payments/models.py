"""The company's own card-payment gateway (its Stripe account) and what went through it.

- `StripeGateway`: one row per company schema: the publishable key in plain text, the
  secret key and the webhook signing secret encrypted (crm/company/crypto.py).
- `CardCheckout`: one Stripe Checkout Session made for an invoice (its amount and currency
  at that moment); `payment` is the invoice payment its completion recorded, at most one.
- `GatewayEvent`: every webhook event handled, by Stripe's event id: a second delivery of
  the same event is recognised and does nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StripeGateway(models.Model):
    enabled = models.BooleanField(_("płatności kartą włączone"), default=False)
    publishable_key = models.CharField(_("klucz publiczny (publishable key)"), max_length=255, blank=True)
    secret_key_encrypted = models.TextField(blank=True, editable=False)
    webhook_secret_encrypted = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("bramka płatności Stripe")
        verbose_name_plural = _("bramki płatności Stripe")

    def __str__(self) -> str:
        return "Stripe"

    @classmethod
    def current(cls) -> StripeGateway:
        """The company's row, or an unsaved one (nothing set up) when there is none yet:
        reading never writes (pages of a read-only company show the invoice card too)."""
        row = cls.objects.order_by("pk").first()
        return row if row is not None else cls()


class CheckoutStatus(models.TextChoices):
    OPEN = "open", _("otwarta")
    FAILED = "failed", _("nieudana")
    PAID = "paid", _("opłacona")
    PROBLEM = "problem", _("zapłacona, nie zapisana")


class CardCheckout(models.Model):
    invoice = models.ForeignKey(
        "invoicing.Invoice", verbose_name=_("faktura"), on_delete=models.CASCADE, related_name="card_checkouts"
    )
    session_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    url = models.URLField(max_length=2000, blank=True)
    success_url = models.CharField(max_length=2000, blank=True)
    cancel_url = models.CharField(max_length=2000, blank=True)
    amount = models.DecimalField(_("kwota"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("waluta"), max_length=3)
    status = models.CharField(_("status"), max_length=10, choices=CheckoutStatus.choices, default=CheckoutStatus.OPEN)
    # Why a paid session could not be recorded on the invoice (e.g. it was paid meanwhile).
    problem = models.CharField(max_length=500, blank=True)
    payment = models.OneToOneField(
        "invoicing.Payment", null=True, blank=True, on_delete=models.SET_NULL, related_name="card_checkout"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("płatność kartą (Stripe Checkout)")
        verbose_name_plural = _("płatności kartą (Stripe Checkout)")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.session_id or f"checkout {self.pk}"


class GatewayEvent(models.Model):
    id = models.CharField(primary_key=True, max_length=255)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)
    checkout = models.ForeignKey(CardCheckout, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    outcome = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ("-received_at",)

    def __str__(self) -> str:
        return self.id
