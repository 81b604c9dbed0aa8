"""Leads (issue 17): a possible customer before it becomes one. A lead has a status from
a colour list Szef keeps in Settings; two statuses are locked (renamed and recoloured,
never deleted) and carry a code the system relies on: `converted` (the lead became a
customer, `converted_customer` points at it) and `lost` (needs a reason). Converting
creates or links the customer, its contact person and optionally a deal."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from crm.categories.models import ColourCategory
from crm.common.custom_fields import custom_fields_column, custom_fields_index, custom_search_words
from crm.common.search import SearchFold
from crm.contacts.models import phone_search_parts, search_text_for


def lead_search_text(lead: Lead) -> str:
    """The searchable text of a lead: name, company, e-mail, phone (also digits only), NIP,
    position and the textual values of its custom fields, lower case without diacritics."""
    return search_text_for(
        lead.name,
        lead.company_name,
        lead.email,
        *phone_search_parts(lead.phone),
        lead.tax_id,
        lead.position,
        *custom_search_words(lead.custom_fields),
    )


class LeadStatusCode(models.TextChoices):
    CONVERTED = "converted", _("Skonwertowany")
    LOST = "lost", _("Utracony")


class LeadStatus(ColourCategory):
    """`code` is set on the two locked statuses only; the others are open leads."""

    code = models.CharField(max_length=20, choices=LeadStatusCode.choices, blank=True)

    class Meta(ColourCategory.Meta):
        verbose_name = _("status leadów")
        verbose_name_plural = _("statusy leadów")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="leadstatus_name_ci_unique"),
            models.UniqueConstraint(fields=["code"], condition=~models.Q(code=""), name="leadstatus_code_unique"),
        ]


class Lead(models.Model):
    name = models.CharField(_("imię i nazwisko"), max_length=200)
    company_name = models.CharField(_("nazwa firmy"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    tax_id = models.CharField(_("NIP"), max_length=20, blank=True)
    position = models.CharField(_("stanowisko"), max_length=120, blank=True)
    source = models.ForeignKey(
        "categories.ContactSource",
        verbose_name=_("źródło pozyskania"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    status = models.ForeignKey(LeadStatus, verbose_name=_("status"), on_delete=models.PROTECT, related_name="leads")
    lost_reason = models.CharField(_("powód utraty"), max_length=500, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opiekun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    value = models.DecimalField(_("szacowana wartość"), max_digits=14, decimal_places=2, default=0)
    description = models.TextField(_("opis"), blank=True)
    converted_customer = models.ForeignKey(
        "contacts.Customer",
        verbose_name=_("klient po konwersji"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    converted_contact = models.ForeignKey(
        "contacts.ContactPerson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    converted_deal = models.ForeignKey("sales.Deal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    converted_at = models.DateTimeField(_("skonwertowano"), null=True, blank=True)
    custom_fields = custom_fields_column()
    # What the list and the global search match, folded (lead_search_text), kept by save()
    # and the import. NULL on leads saved before the column existed until
    # `manage.py leads_search_text_fill` has run; the searches then fold the plain columns.
    search_text = models.TextField(editable=False, null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leady")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["status", "-created_at"], name="lead_status_idx"),
            models.Index(fields=["owner", "-created_at"], name="lead_owner_idx"),
            GinIndex(
                OpClass(SearchFold("name", "company_name", "email"), name="gin_trgm_ops"),
                name="lead_search_fold_trgm",
            ),
            custom_fields_index("lead_custom_fields_gin"),
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="lead_search_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.company_name})" if self.company_name else self.name

    def save(self, *args: Any, **kwargs: Any) -> None:  # Model.save's arguments, passed on
        self.search_text_refresh()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def search_text_refresh(self) -> None:
        self.search_text = lead_search_text(self)

    @property
    def is_converted(self) -> bool:
        return self.converted_at is not None


class WebFormField(models.TextChoices):
    """What a web-to-lead form may ask (the name is always asked)."""

    COMPANY_NAME = "company_name", _("Nazwa firmy")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Telefon")
    TAX_ID = "tax_id", _("NIP")
    POSITION = "position", _("Stanowisko")
    DESCRIPTION = "description", _("Wiadomość")


class OwnerMode(models.TextChoices):
    FIXED = "fixed", _("Stały opiekun")
    ROUND_ROBIN = "round_robin", _("Po kolei (round-robin)")


class WebForm(models.Model):
    """A web-to-lead form Szef builds in Settings: served at /forms/<slug>/ on the company
    host and embeddable on the company's own website; a submission makes a lead."""

    name = models.CharField(_("nazwa"), max_length=100)
    slug = models.SlugField(_("adres formularza"), max_length=60, unique=True)
    fields = models.JSONField(_("pola"), default=list, blank=True)
    required_fields = models.JSONField(_("pola wymagane"), default=list, blank=True)
    thanks_text = models.TextField(_("podziękowanie"), blank=True)
    owner_mode = models.CharField(
        _("przydział opiekuna"), max_length=12, choices=OwnerMode.choices, default=OwnerMode.FIXED
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opiekun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rotation = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("osoby w kolejce"), blank=True, related_name="+"
    )
    last_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    source = models.ForeignKey(
        "categories.ContactSource",
        verbose_name=_("źródło pozyskania"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Sites that may embed the form and post to it (one origin a line, e.g. https://firma.pl).
    allowed_origins = models.TextField(_("dozwolone strony (origin)"), blank=True)
    active = models.BooleanField(_("aktywny"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("formularz leadów")
        verbose_name_plural = _("formularze leadów")
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name

    @property
    def origins(self) -> list[str]:
        return [line.strip().rstrip("/").lower() for line in self.allowed_origins.splitlines() if line.strip()]
