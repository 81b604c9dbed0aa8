"""VAT invoices, pro-formas and corrections; their payments; numbering series.

An invoice is a draft (no number, editable) until it is issued: it then gets the next
number of its series and is never edited again — it is corrected by a correction invoice
(`kind` correction, `corrects` the original, with the reason and the lines before and
after) and a pro-forma converts into a VAT invoice. The seller's and buyer's data are
copied onto the invoice at issue (`seller`, `buyer`), so later edits of the company or
the customer never change an issued document.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.catalog.models import currency_validator
from crm.documents.models import DocumentLine, DocumentTotals, PaymentMethod


class InvoiceKind(models.TextChoices):
    VAT = "vat", _("faktura VAT")
    PROFORMA = "proforma", _("faktura pro forma")
    CORRECTION = "correction", _("faktura korygująca")


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("szkic")
    ISSUED = "issued", _("wystawiona")
    PARTIALLY_PAID = "partially_paid", _("częściowo opłacona")
    PAID = "paid", _("opłacona")
    OVERDUE = "overdue", _("po terminie")
    CANCELLED = "cancelled", _("anulowana")


class KsefStatus(models.TextChoices):
    NOT_SENT = "not_sent", _("nie wysłano")
    QUEUED = "queued", _("w kolejce")
    SENDING = "sending", _("wysyłanie")
    ACCEPTED = "accepted", _("przyjęta")
    REJECTED = "rejected", _("odrzucona")
    ERROR = "error", _("błąd (ponowimy)")
    NOT_APPLICABLE = "n/a", _("nie dotyczy")


class Invoice(DocumentTotals):
    number = models.CharField(_("numer"), max_length=60, blank=True)
    kind = models.CharField(_("rodzaj"), max_length=12, choices=InvoiceKind.choices, default=InvoiceKind.VAT)
    status = models.CharField(_("status"), max_length=16, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT)
    customer = models.ForeignKey(
        "contacts.Customer", verbose_name=_("klient"), on_delete=models.PROTECT, related_name="invoices"
    )
    deal = models.ForeignKey(
        "sales.Deal",
        verbose_name=_("szansa sprzedaży"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invoices",
    )
    offer = models.ForeignKey(
        "offers.Offer",
        verbose_name=_("oferta"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invoices",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opiekun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invoices",
    )
    issue_date = models.DateField(_("data wystawienia"))
    sale_date = models.DateField(_("data sprzedaży"))
    due_date = models.DateField(_("termin płatności"))
    place_of_issue = models.CharField(_("miejsce wystawienia"), max_length=100, blank=True)
    payment_method = models.CharField(
        _("sposób płatności"), max_length=12, choices=PaymentMethod.choices, default=PaymentMethod.TRANSFER
    )
    currency = models.CharField(_("waluta"), max_length=3, default="PLN", validators=[currency_validator])
    # For a currency other than PLN: the NBP average rate of the last working day before the
    # sale date (art. 31a of the VAT act), and that table's date.
    exchange_rate = models.DecimalField(
        _("kurs waluty"), max_digits=10, decimal_places=4, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    exchange_rate_date = models.DateField(_("data kursu"), null=True, blank=True)
    exchange_rate_table = models.CharField(_("tabela kursów NBP"), max_length=30, blank=True)
    split_payment = models.BooleanField(_("mechanizm podzielonej płatności"), default=False)
    # Legal basis of an exemption (lines at "zw"): e.g. "art. 43 ust. 1 pkt 37 ustawy o VAT".
    exemption_basis = models.CharField(_("podstawa zwolnienia z VAT"), max_length=300, blank=True)
    notes = models.TextField(_("uwagi"), blank=True)
    paid_total = models.DecimalField(_("zapłacono"), max_digits=14, decimal_places=2, default=Decimal(0))
    # The gross totals of its issued corrections, summed (negative when they lower what is
    # due): kept with `paid_total` by `invoice_payment_state_refresh`, so the unpaid lists
    # and the home page's overdue sum read one column instead of a subquery per invoice.
    corrections_total = models.DecimalField(
        _("suma korekt"), max_digits=14, decimal_places=2, default=Decimal(0), editable=False
    )
    # Corrections: the corrected invoice, the reason; a pro-forma's VAT invoice points back.
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("korygowana faktura"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    correction_reason = models.CharField(_("przyczyna korekty"), max_length=500, blank=True)
    from_proforma = models.ForeignKey(
        "self",
        verbose_name=_("z faktury pro forma"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="converted_to",
    )
    # Seller's and buyer's data as on the document, frozen at issue (name, tax_id, address…).
    seller = models.JSONField(_("sprzedawca"), default=dict, blank=True)
    buyer = models.JSONField(_("nabywca"), default=dict, blank=True)
    # Numbering: the series period ("2026-12" or "2026") and the number within it.
    series_period = models.CharField(max_length=7, blank=True)
    series_number = models.PositiveIntegerField(null=True, blank=True)
    issued_at = models.DateTimeField(_("wystawiono"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("wysłano do klienta"), null=True, blank=True)
    # The last e-mail of the invoice to the customer (crm.invoicing.services.emailing): when, to whom.
    emailed_at = models.DateTimeField(_("wysłano e-mailem"), null=True, blank=True)
    emailed_to = models.CharField(_("wysłano e-mailem do"), max_length=1000, blank=True)
    last_reminder_at = models.DateTimeField(_("ostatnie przypomnienie"), null=True, blank=True)
    # KSeF: the state of sending, the number KSeF gave, the UPO (official receipt).
    ksef_status = models.CharField(
        _("status KSeF"), max_length=10, choices=KsefStatus.choices, default=KsefStatus.NOT_SENT
    )
    ksef_number = models.CharField(_("numer KSeF"), max_length=64, blank=True)
    ksef_reference = models.CharField(max_length=64, blank=True)  # the invoice's reference in its session
    ksef_session = models.CharField(max_length=64, blank=True)  # the online session it was sent in
    ksef_error = models.TextField(_("błąd KSeF"), blank=True)
    ksef_attempts = models.PositiveIntegerField(default=0)
    ksef_sent_at = models.DateTimeField(_("wysłano do KSeF"), null=True, blank=True)
    ksef_upo = models.TextField(_("UPO"), blank=True)
    ksef_xml_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Number, buyer's name and NIP, folded (lower case, no diacritics) for the list's and
    # the global search; kept by the services (crm.invoicing.services.drafts).
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    class Meta:
        verbose_name = _("faktura")
        verbose_name_plural = _("faktury")
        ordering = ("-issue_date", "-id")
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~models.Q(number=""), name="invoice_number_unique"),
            models.UniqueConstraint(
                fields=["kind", "series_period", "series_number"],
                condition=models.Q(series_number__isnull=False),
                name="invoice_series_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "-issue_date"], name="invoice_customer_idx"),
            models.Index(fields=["status", "due_date"], name="invoice_status_due_idx"),
            models.Index(fields=["-issue_date", "-id"], name="invoice_list_idx"),
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="invoice_search_trgm"),
        ]

    def __str__(self) -> str:
        return self.number or str(_("Faktura (szkic)"))

    @property
    def outstanding(self) -> Decimal:
        return self.gross_total - self.paid_total


class InvoiceLine(DocumentLine):
    document = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    # On a correction: True for the lines as they were on the corrected invoice ("przed
    # korektą"), False for the lines as they should be ("po korekcie"). The correction's
    # totals are after minus before.
    before_correction = models.BooleanField(default=False)
    # Goods or services of annex 15 to the VAT act (the split-payment list): with such a
    # line and a gross total over 15 000 PLN the invoice must carry "mechanizm podzielonej
    # płatności" (art. 106e ust. 1 pkt 18a); see crm.invoicing.rules.split_payment_required.
    annex15 = models.BooleanField(_("towar lub usługa z załącznika nr 15"), default=False)

    class Meta(DocumentLine.Meta):
        verbose_name = _("pozycja faktury")
        verbose_name_plural = _("pozycje faktury")


class NumberCounter(models.Model):
    """The last number given in one series and period; locked (SELECT … FOR UPDATE) while
    an invoice takes the next one, so concurrent issues never skip or repeat a number."""

    series = models.CharField(max_length=20)  # "vat", "proforma", "correction", "offer"
    period = models.CharField(max_length=7)  # "2026-12" (monthly) or "2026" (yearly)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "period"], name="number_counter_unique")]

    def __str__(self) -> str:
        return f"{self.series} {self.period}: {self.last_number}"


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, verbose_name=_("faktura"), on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(_("kwota"), max_digits=14, decimal_places=2)
    paid_at = models.DateField(_("data zapłaty"))
    method = models.CharField(
        _("sposób płatności"), max_length=12, choices=PaymentMethod.choices, default=PaymentMethod.TRANSFER
    )
    note = models.CharField(_("uwagi"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)

    class Meta:
        verbose_name = _("płatność")
        verbose_name_plural = _("płatności")
        ordering = ("-paid_at", "-id")

    def __str__(self) -> str:
        return f"{self.amount} {self.invoice.currency}"


class RecurringInterval(models.TextChoices):
    MONTHLY = "monthly", _("co miesiąc")
    QUARTERLY = "quarterly", _("co kwartał")
    YEARLY = "yearly", _("co rok")


class RecurringInvoice(models.Model):
    """An invoice issued again every period by beat (crm/invoicing/recurring.py), copied
    from `template` (the invoice made recurring: its customer, lines and payment term);
    `next_date` is the issue date of the next one. Each period happens exactly once: the
    row is locked while a period is issued, `last_period` and `next_date` move on in the
    same transaction, and `RecurringInvoiceRun` is unique per period."""

    template = models.OneToOneField(Invoice, on_delete=models.CASCADE, related_name="recurring")
    interval = models.CharField(_("co ile"), max_length=10, choices=RecurringInterval.choices)
    next_date = models.DateField(_("następna faktura"))
    end_date = models.DateField(_("do"), null=True, blank=True)
    issue_automatically = models.BooleanField(_("wystawiaj automatycznie"), default=True)
    last_period = models.CharField(max_length=7, blank=True)
    active = models.BooleanField(_("aktywna"), default=True)
    # The day of the month invoices are dated (31 -> the last day of shorter months).
    anchor_day = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(31)])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("faktura cykliczna")
        verbose_name_plural = _("faktury cykliczne")

    def __str__(self) -> str:
        return f"{self.template} ({self.get_interval_display()})"


class RecurringInvoiceRun(models.Model):
    """One period of a recurring invoice, done: the invoice it made (None once that draft
    was deleted). Unique per period: a period can never be issued twice."""

    recurring = models.ForeignKey(RecurringInvoice, on_delete=models.CASCADE, related_name="runs")
    period = models.CharField(_("okres"), max_length=7)
    invoice = models.OneToOneField(
        Invoice, null=True, blank=True, on_delete=models.SET_NULL, related_name="recurring_run"
    )
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)

    class Meta:
        verbose_name = _("okres faktury cyklicznej")
        verbose_name_plural = _("okresy faktur cyklicznych")
        ordering = ("-created_at", "-id")
        constraints = [models.UniqueConstraint(fields=["recurring", "period"], name="recurring_run_period_unique")]

    def __str__(self) -> str:
        return f"{self.recurring_id} {self.period}"


# --- payment reminders (crm/invoicing/reminders.py) -----------------------------------


class PaymentReminderSettings(models.Model):
    """How and when customers are reminded of overdue invoices: one row per company
    (pk 1), set by Szef in Settings. Step k (1..max_count) goes out `first_after_days`
    after the due date for k = 1, then `repeat_every_days` after the previous one.
    Empty texts mean the default texts (crm/invoicing/reminders.py)."""

    enabled = models.BooleanField(_("wysyłaj klientom przypomnienia o zaległych płatnościach"), default=False)
    first_after_days = models.PositiveSmallIntegerField(
        _("pierwsze przypomnienie (dni po terminie)"), default=3, validators=[MaxValueValidator(365)]
    )
    repeat_every_days = models.PositiveSmallIntegerField(
        _("kolejne co (dni)"), default=7, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    max_count = models.PositiveSmallIntegerField(
        _("najwyżej przypomnień do jednej faktury"), default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    subject = models.CharField(_("temat wiadomości"), max_length=200, blank=True)
    body = models.TextField(_("treść wiadomości"), max_length=5000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("przypomnienia o płatnościach")
        verbose_name_plural = _("przypomnienia o płatnościach")

    def __str__(self) -> str:
        return str(_("Przypomnienia o płatnościach"))

    @classmethod
    def current(cls) -> PaymentReminderSettings:
        obj = cls.objects.filter(pk=1).first()
        if obj is None:
            obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class PaymentReminder(models.Model):
    """A reminder e-mail sent to the customer about an unpaid invoice. `step` is the step
    of the schedule (1, 2, …): unique per invoice, so a step is sent once whatever the
    number of beat runs; a reminder sent by hand has no step."""

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("faktura"), on_delete=models.CASCADE, related_name="payment_reminders"
    )
    step = models.PositiveSmallIntegerField(_("krok harmonogramu"), null=True, blank=True)
    sent_at = models.DateTimeField(_("wysłano"), default=timezone.now)
    to = models.EmailField(_("do"))
    amount = models.DecimalField(_("kwota do zapłaty"), max_digits=14, decimal_places=2)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("przypomnienie o płatności")
        verbose_name_plural = _("przypomnienia o płatności")
        ordering = ("-sent_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "step"], condition=models.Q(step__isnull=False), name="payment_reminder_step_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice} → {self.to}"
