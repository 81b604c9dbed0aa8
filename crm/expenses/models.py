"""Expenses: what the company spent, on what (a colour category), with net, VAT and
gross, the supplier, the receipt file, and optionally the customer it was spent for.

A billable expense (`billable`) is passed on to its customer: the invoices module
adds it to an invoice as a line and marks it `invoiced` (services
`billable_expenses_for` / `expense_mark_invoiced`). `invoiced` points upward at
`invoicing.Invoice` by name only: this app sits below crm.invoicing in the layers
and never imports it.

Projects come with a later issue: an expense will then get an optional `project`
(foreign key, null) next to `customer`, and the project's card a section listing them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from crm.catalog.models import currency_validator
from crm.categories.models import ColourCategory
from crm.common.search import SearchFold
from crm.documents.models import PaymentMethod
from crm.documents.totals import VatRate

# Net amounts up to 999 999 999 999,99; VAT and gross get two more digits so that a
# net at the limit plus its VAT always fits.
AMOUNT_DIGITS = 14
TOTAL_DIGITS = 16


class ExpenseCategory(ColourCategory):
    """Kinds of expenses (Paliwo, Oprogramowanie...), configured by Szef in Settings >
    Wydatki with a colour, like the categories of crm.categories."""

    class Meta(ColourCategory.Meta):
        verbose_name = _("kategoria wydatków")
        verbose_name_plural = _("kategorie wydatków")
        constraints = [models.UniqueConstraint(Lower("name"), name="expensecategory_name_ci_unique")]


class Expense(models.Model):
    name = models.CharField(_("nazwa"), max_length=200)
    description = models.TextField(_("opis"), blank=True)
    category = models.ForeignKey(
        ExpenseCategory,
        verbose_name=_("kategoria"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expenses",
    )
    date = models.DateField(_("data wydatku"))
    amount = models.DecimalField(
        _("kwota netto"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    vat_rate = models.CharField(_("stawka VAT"), max_length=2, choices=VatRate.choices, default=VatRate.R23)
    vat_amount = models.DecimalField(_("kwota VAT"), max_digits=TOTAL_DIGITS, decimal_places=2, default=Decimal(0))
    gross_amount = models.DecimalField(_("kwota brutto"), max_digits=TOTAL_DIGITS, decimal_places=2, default=Decimal(0))
    currency = models.CharField(_("waluta"), max_length=3, default="PLN", validators=[currency_validator])
    supplier = models.CharField(_("dostawca"), max_length=200, blank=True)
    supplier_tax_id = models.CharField(_("NIP dostawcy"), max_length=20, blank=True)
    payment_method = models.CharField(
        _("sposób płatności"), max_length=12, choices=PaymentMethod.choices, default=PaymentMethod.CARD
    )
    reference_number = models.CharField(_("numer dokumentu"), max_length=100, blank=True)
    customer = models.ForeignKey(
        "contacts.Customer",
        verbose_name=_("klient"),
        null=True,
        blank=True,
        # A company's cost stays in its books when the customer is deleted.
        on_delete=models.SET_NULL,
        related_name="expenses",
    )
    billable = models.BooleanField(_("do refakturowania"), default=False)
    invoiced = models.ForeignKey(
        "invoicing.Invoice",
        verbose_name=_("zafakturowano"),
        null=True,
        blank=True,
        # A deleted draft invoice gives its expenses back to the billable list.
        on_delete=models.SET_NULL,
        related_name="expenses",
    )
    # The receipt or cost invoice: in the company's own media area, served only through
    # the authorising view (expenses:receipt) and the API's receipt/ action.
    receipt = models.FileField(_("dowód zakupu"), upload_to="expenses/%Y/%m/", max_length=300, blank=True)
    receipt_name = models.CharField(_("nazwa pliku"), max_length=255, blank=True)
    receipt_content_type = models.CharField(_("typ pliku"), max_length=120, blank=True)
    receipt_size = models.PositiveBigIntegerField(_("rozmiar pliku"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("osoba"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expenses",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utworzył"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_expenses",
    )
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    class Meta:
        verbose_name = _("wydatek")
        verbose_name_plural = _("wydatki")
        ordering = ("-date", "-id")
        indexes = [
            models.Index(fields=["-date", "-id"], name="expense_date_idx"),
            models.Index(fields=["owner", "-date"], name="expense_owner_date_idx"),
            models.Index(fields=["customer", "-date"], name="expense_customer_date_idx"),
            models.Index(fields=["category", "-date"], name="expense_category_date_idx"),
            models.Index(
                fields=["customer", "date"],
                name="expense_billable_open_idx",
                condition=models.Q(billable=True, invoiced__isnull=True),
            ),
            GinIndex(
                OpClass(SearchFold("name", "supplier", "reference_number"), name="gin_trgm_ops"),
                name="expense_search_fold_trgm",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_invoiced(self) -> bool:
        return self.invoiced_id is not None
