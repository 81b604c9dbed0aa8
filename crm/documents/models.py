"""The base of a document's line (offers, invoices): what was sold, how much, at which
price and VAT rate. Concrete documents subclass `DocumentLine` with their own foreign key
to the document (named `document`, related_name `lines`)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.documents.totals import LineIn, VatRate, line_net


class DocumentLine(models.Model):
    position = models.PositiveIntegerField(_("lp."), default=0)
    name = models.CharField(_("nazwa"), max_length=500)
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("produkt"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quantity = models.DecimalField(
        _("ilość"), max_digits=14, decimal_places=4, default=Decimal(1), validators=[MinValueValidator(Decimal(0))]
    )
    unit = models.CharField(_("jednostka"), max_length=20, default="szt.")
    net_price = models.DecimalField(_("cena netto"), max_digits=14, decimal_places=2)
    vat_rate = models.CharField(_("stawka VAT"), max_length=2, choices=VatRate.choices, default=VatRate.R23)
    discount_percent = models.DecimalField(
        _("rabat %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    # The line's net value after its discount (quantity × price − discount, in grosze).
    net_value = models.DecimalField(_("wartość netto"), max_digits=14, decimal_places=2, default=Decimal(0))
    gtu = models.CharField(_("kod GTU"), max_length=6, blank=True)
    pkwiu = models.CharField(_("PKWiU"), max_length=20, blank=True)

    class Meta:
        abstract = True
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.name

    def as_line_in(self) -> LineIn:
        return LineIn(
            quantity=self.quantity,
            net_price=self.net_price,
            vat_rate=self.vat_rate,
            discount_percent=self.discount_percent,
        )

    def net_value_compute(self) -> Decimal:
        return line_net(self.as_line_in())


class DocumentTotals(models.Model):
    """Stored totals of a document (kept by its services from `document_totals`)."""

    net_total = models.DecimalField(_("razem netto"), max_digits=14, decimal_places=2, default=Decimal(0))
    vat_total = models.DecimalField(_("razem VAT"), max_digits=14, decimal_places=2, default=Decimal(0))
    gross_total = models.DecimalField(_("razem brutto"), max_digits=14, decimal_places=2, default=Decimal(0))

    class Meta:
        abstract = True


class DocumentCounter(models.Model):
    """The last number given in one series and period (crm.documents.numbering): locked
    with SELECT … FOR UPDATE while a document takes the next one, so concurrent
    numbering never skips or repeats a number."""

    series = models.CharField(max_length=20)  # "offer", or a document kind of another app
    period = models.CharField(max_length=7)  # "2026-12" (monthly), "2026" (yearly) or "" (never reset)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "period"], name="document_counter_unique")]

    def __str__(self) -> str:
        return f"{self.series} {self.period}: {self.last_number}"


class PaymentMethod(models.TextChoices):
    """How money changed hands: invoices and payments (crm.invoicing), expenses (crm.expenses)."""

    TRANSFER = "transfer", _("przelew")
    CASH = "cash", _("gotówka")
    CARD = "card", _("karta")
    COMPENSATION = "compensation", _("kompensata")
    OTHER = "other", _("inna")
