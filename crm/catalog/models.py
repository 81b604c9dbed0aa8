"""Products and services the company sells: picked into offer and invoice lines."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.common.search import SearchFold
from crm.contacts.models import POLISH_COLLATION
from crm.documents.totals import VatRate

# GTU codes of the JPK/KSeF (goods and services needing a mark): GTU_01 … GTU_13.
GTU_CHOICES = [(f"GTU_{n:02d}", f"GTU_{n:02d}") for n in range(1, 14)]
currency_validator = RegexValidator(r"^[A-Z]{3}$", _("Podaj kod waluty z trzech wielkich liter, np. PLN lub EUR."))


class Product(models.Model):
    name = models.CharField(_("nazwa"), max_length=500, db_collation=POLISH_COLLATION)
    unit = models.CharField(_("jednostka"), max_length=20, default="szt.")
    net_price = models.DecimalField(
        _("cena netto"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    vat_rate = models.CharField(_("stawka VAT"), max_length=2, choices=VatRate.choices, default=VatRate.R23)
    currency = models.CharField(_("waluta"), max_length=3, default="PLN", validators=[currency_validator])
    gtu = models.CharField(_("kod GTU"), max_length=6, choices=GTU_CHOICES, blank=True)
    pkwiu = models.CharField(_("PKWiU"), max_length=20, blank=True)
    description = models.TextField(_("opis"), blank=True)
    active = models.BooleanField(_("aktywny"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("produkt lub usługa")
        verbose_name_plural = _("produkty i usługi")
        ordering = ("name", "id")
        indexes = [GinIndex(OpClass(SearchFold("name"), name="gin_trgm_ops"), name="product_search_fold_trgm")]

    def __str__(self) -> str:
        return self.name
