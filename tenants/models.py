"""Companies (tenants) and their host names; both live in the public schema."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.utils import get_public_schema_name


class CompanyStatus(models.TextChoices):
    POOL = "pool", _("W puli (nieprzydzielona)")
    TRIAL = "trial", _("Okres próbny")
    ACTIVE = "active", _("Aktywna")
    PAST_DUE = "past_due", _("Zaległa płatność")
    READ_ONLY = "read_only", _("Tylko do odczytu")
    SUSPENDED = "suspended", _("Zawieszona")
    CANCELLED = "cancelled", _("Anulowana")


class CompanyQuerySet(models.QuerySet["Company"]):
    def real(self) -> CompanyQuerySet:
        """Companies that signed up: not the public site's row, not pooled schemas."""
        return self.exclude(schema_name=get_public_schema_name()).exclude(status=CompanyStatus.POOL)


class Company(TenantMixin):
    """A customer of the service; its CRM data lives in the schema `schema_name`.

    `subdomain` is what people type; `schema_name` is generated from it and never
    taken from raw input. Rows with status `pool` are ready, migrated schemas
    waiting to be claimed by a signup.
    """

    name = models.CharField(_("nazwa"), max_length=200)
    subdomain = models.CharField(_("subdomena"), max_length=63, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    trial_ends_at = models.DateTimeField(_("koniec okresu próbnego"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CompanyStatus.choices, default=CompanyStatus.TRIAL)
    plan_id = models.BigIntegerField(_("plan"), null=True, blank=True)
    is_ready = models.BooleanField(_("gotowa"), default=False)
    # The owner's address (the Szef who signed up) proven by the link in the welcome
    # e-mail; until then no billing and no "forgot your address?" listing
    # (tenants/owner_email.py). Kept here, in the public schema, because the public
    # site reads it without entering the company's schema.
    owner_email_confirmed_at = models.DateTimeField(_("e-mail właściciela potwierdzony"), null=True, blank=True)
    # The address's owner said "this was not me": the company waits for deletion.
    owner_reported_not_me_at = models.DateTimeField(_("zgłoszona jako „to nie ja”"), null=True, blank=True)

    auto_create_schema = True
    auto_drop_schema = False

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("firma")
        verbose_name_plural = _("firmy")
        indexes = [models.Index(fields=["status"], name="company_status_idx")]

    def __str__(self) -> str:
        return self.name or self.schema_name

    @property
    def is_public(self) -> bool:
        """The row of the public site itself (host names of the service, not a company)."""
        return self.schema_name == get_public_schema_name()


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domena")
        verbose_name_plural = _("domeny")
