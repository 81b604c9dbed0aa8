"""Plans, subscriptions, Stripe events and the operator's records. All of it lives
in the public schema (billing_saas is a shared app).

No foreign key points at `accounts.User`: the same table exists in every company
schema, and a cascade from a company's user must never reach the operator's
records, so operators are kept as plain ids plus their e-mail.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from billing_saas.tax import vat_of
from tenants.models import Company


class Interval(models.TextChoices):
    MONTH = "month", _("miesięcznie")
    YEAR = "year", _("rocznie")


class Plan(models.Model):
    code = models.SlugField(_("kod"), max_length=40, unique=True)
    name = models.CharField(_("nazwa"), max_length=100)
    price_monthly = models.DecimalField(_("cena miesięczna (PLN netto)"), max_digits=10, decimal_places=2)
    price_yearly = models.DecimalField(_("cena roczna (PLN netto)"), max_digits=10, decimal_places=2)
    seat_limit = models.PositiveIntegerField(_("limit użytkowników"), null=True, blank=True)
    customer_limit = models.PositiveIntegerField(_("limit klientów"), null=True, blank=True)
    stripe_price_monthly = models.CharField(_("Stripe: cena miesięczna (price id)"), max_length=100, blank=True)
    stripe_price_yearly = models.CharField(_("Stripe: cena roczna (price id)"), max_length=100, blank=True)
    is_active = models.BooleanField(_("aktywny"), default=True)
    is_trial_default = models.BooleanField(_("limity okresu próbnego"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plany")
        ordering = ("sort_order", "price_monthly")

    def __str__(self) -> str:
        return self.name

    def price_for(self, interval: str) -> Decimal:
        return self.price_yearly if interval == Interval.YEAR else self.price_monthly

    # Prices are net; Polish VAT is added on top (billing_saas/tax.py, Stripe Checkout's tax rate).
    @property
    def vat_monthly(self) -> Decimal:
        return vat_of(self.price_monthly)

    @property
    def gross_monthly(self) -> Decimal:
        return self.price_monthly + vat_of(self.price_monthly)

    @property
    def vat_yearly(self) -> Decimal:
        return vat_of(self.price_yearly)

    @property
    def gross_yearly(self) -> Decimal:
        return self.price_yearly + vat_of(self.price_yearly)

    def stripe_price_for(self, interval: str) -> str:
        return self.stripe_price_yearly if interval == Interval.YEAR else self.stripe_price_monthly

    def monthly_value(self, interval: str) -> Decimal:
        """Monthly recurring revenue of one company on this plan."""
        if interval == Interval.YEAR:
            return (self.price_yearly / 12).quantize(Decimal("0.01"))
        return self.price_monthly

    @property
    def yearly_saving(self) -> Decimal:
        return max(Decimal(0), self.price_monthly * 12 - self.price_yearly)


class BillingAccount(models.Model):
    """Billing state of one company: its Stripe customer and subscription and the
    moments the lifecycle depends on (read-only since, grace, conversions, churn)."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="billing_account")
    interval = models.CharField(_("okres rozliczeniowy"), max_length=10, choices=Interval.choices, default="month")
    stripe_customer_id = models.CharField(max_length=100, blank=True)
    stripe_subscription_id = models.CharField(max_length=100, blank=True, db_index=True)
    stripe_subscription_status = models.CharField(max_length=30, blank=True)
    stripe_subscription_created = models.BigIntegerField(null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    read_only_since = models.DateTimeField(null=True, blank=True)
    past_due_since = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    operator_suspended = models.BooleanField(default=False)
    # Paid by bank transfer against a pro-forma, recorded by an operator (billing_saas/manual_payments.py).
    manual_paid_until = models.DateTimeField(null=True, blank=True)
    first_paid_at = models.DateTimeField(null=True, blank=True)
    last_paid_at = models.DateTimeField(null=True, blank=True)
    canceled_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("konto rozliczeniowe")
        verbose_name_plural = _("konta rozliczeniowe")
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_customer_id"], condition=~Q(stripe_customer_id=""), name="billing_unique_customer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.company_id}: {self.stripe_subscription_status or '-'}"


class StripeEvent(models.Model):
    """Every webhook event, stored once by its id: a second delivery finds the row."""

    id = models.CharField(primary_key=True, max_length=255)
    type = models.CharField(max_length=100)
    created = models.DateTimeField()
    livemode = models.BooleanField(default=False)
    company = models.ForeignKey(Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("zdarzenie Stripe")
        verbose_name_plural = _("zdarzenia Stripe")
        ordering = ("-received_at",)

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class TrialReminder(models.Model):
    """One row per reminder e-mail sent; the unique constraint makes a second run a no-op."""

    class Kind(models.TextChoices):
        THREE_DAYS = "3d", _("3 dni przed końcem")
        ONE_DAY = "1d", _("1 dzień przed końcem")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    trial_ends_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "kind", "trial_ends_at"], name="trial_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id} {self.kind}"


class OperatorAction(models.TextChoices):
    TRIAL_EXTEND = "trial_extend", _("Przedłużenie okresu próbnego")
    PLAN_CHANGE = "plan_change", _("Zmiana planu")
    SUSPEND = "suspend", _("Zawieszenie")
    REACTIVATE = "reactivate", _("Przywrócenie")
    EXPORT = "export", _("Eksport danych")
    EXPORT_DOWNLOAD = "export_download", _("Pobranie eksportu")
    DELETION_SCHEDULE = "deletion_schedule", _("Zaplanowanie usunięcia")
    DELETION_CANCEL = "deletion_cancel", _("Anulowanie usunięcia")
    DELETION_EXECUTE = "deletion_execute", _("Usunięcie danych")
    NOT_ME_REPORT = "not_me_report", _("Zgłoszenie „to nie ja”")
    LOGIN_LOCKED = "login_locked", _("Blokada logowania")
    MANUAL_PAYMENT = "manual_payment", _("Płatność przelewem")
    SCHEMA_ANALYZE = "schema_analyze", _("ANALYZE schematu")
    SCHEMA_VACUUM = "schema_vacuum", _("VACUUM schematu")
    SCHEMA_MAINTENANCE_DONE = "schema_maintenance_done", _("Konserwacja schematu zakończona")
    SERVICE_EMAIL = "service_email", _("Zmiana e-maila usługi")


class OperatorAuditEntry(models.Model):
    at = models.DateTimeField(_("kiedy"), auto_now_add=True, db_index=True)
    operator_id = models.BigIntegerField(_("operator (id)"), null=True, blank=True)
    operator_email = models.CharField(_("operator"), max_length=254)
    company = models.ForeignKey(Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    company_name = models.CharField(_("firma"), max_length=200)
    schema_name = models.CharField(max_length=63)
    action = models.CharField(_("akcja"), max_length=30, choices=OperatorAction.choices)
    reason = models.TextField(_("powód"))
    details = models.JSONField(_("szczegóły"), default=dict, blank=True)

    class Meta:
        verbose_name = _("wpis dziennika operatora")
        verbose_name_plural = _("dziennik operatora")
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.operator_email} {self.action} {self.company_name}"


class CompanyExport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("w przygotowaniu")
        READY = "ready", _("gotowy")
        FAILED = "failed", _("błąd")

    company = models.ForeignKey(Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    schema_name = models.CharField(max_length=63)
    company_name = models.CharField(max_length=200)
    requested_by_id = models.BigIntegerField(null=True, blank=True)
    requested_by_email = models.CharField(max_length=254)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file_name = models.CharField(max_length=255, blank=True)
    size = models.BigIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.schema_name} {self.created_at:%Y-%m-%d %H:%M}"


class DeletionSchedule(models.Model):
    """A company kept for 30 days after the operator schedules its deletion."""

    company = models.ForeignKey(Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    schema_name = models.CharField(max_length=63)
    company_name = models.CharField(max_length=200)
    requested_by_id = models.BigIntegerField(null=True, blank=True)
    requested_by_email = models.CharField(max_length=254)
    reason = models.TextField()
    requested_at = models.DateTimeField(auto_now_add=True)
    delete_after = models.DateTimeField()
    export = models.ForeignKey(CompanyExport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-requested_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["company"],
                condition=Q(cancelled_at__isnull=True, done_at__isnull=True),
                name="deletion_one_pending_per_company",
            )
        ]

    def __str__(self) -> str:
        return f"{self.schema_name} after {self.delete_after:%Y-%m-%d}"

    @property
    def is_pending(self) -> bool:
        return self.cancelled_at is None and self.done_at is None


class ServiceEmailKind(models.TextChoices):
    TRIAL_3D = "trial_3d", _("Przypomnienie: 3 dni do końca okresu próbnego")
    TRIAL_1D = "trial_1d", _("Przypomnienie: okres próbny kończy się jutro")


class ServiceEmailTemplate(models.Model):
    """The operator's text of one of the service's e-mails to companies, replacing the built-in
    one (billing_saas.service_mail); plain text with `{{ object.field }}` placeholders."""

    kind = models.CharField(_("rodzaj"), max_length=20, choices=ServiceEmailKind.choices, unique=True)
    subject_pl = models.CharField(_("temat (polski)"), max_length=300)
    body_pl = models.TextField(_("treść (polski)"), max_length=20000)
    subject_en = models.CharField(_("temat (angielski)"), max_length=300, blank=True)
    body_en = models.TextField(_("treść (angielski)"), max_length=20000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by_email = models.CharField(max_length=254, blank=True)

    class Meta:
        verbose_name = _("e-mail usługi")
        verbose_name_plural = _("e-maile usługi")
        ordering = ("kind",)

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def text(self, language: str) -> tuple[str, str]:
        """(subject, body) in `language`; each part in Polish where its English is empty."""
        if language.startswith("en"):
            subject = self.subject_en if self.subject_en.strip() else self.subject_pl
            body = self.body_en if self.body_en.strip() else self.body_pl
            return subject, body
        return self.subject_pl, self.body_pl
