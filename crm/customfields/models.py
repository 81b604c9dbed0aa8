"""Custom fields: Szef adds fields of his own to a record type (customers, deals...).

The definitions live here; the values live on each record, in its `custom_fields`
JSONField ({key: value}), so a list reads them with the row (no join, no extra query)
and filters them through the table's GIN index (see crm.customfields.filters).
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class FieldType(models.TextChoices):
    TEXT = "text", _("Tekst")
    LONG_TEXT = "long_text", _("Długi tekst")
    NUMBER = "number", _("Liczba całkowita")
    DECIMAL = "decimal", _("Liczba dziesiętna")
    DATE = "date", _("Data")
    SELECT = "select", _("Lista wyboru")
    MULTI_SELECT = "multi_select", _("Wielokrotny wybór")
    CHECKBOX = "checkbox", _("Tak/nie")
    URL = "url", _("Adres WWW")
    EMAIL = "email", _("E-mail")


# Types whose values are text: matched by "contains" in filters and found by search.
TEXT_TYPES = frozenset({FieldType.TEXT, FieldType.LONG_TEXT, FieldType.URL, FieldType.EMAIL})
OPTION_TYPES = frozenset({FieldType.SELECT, FieldType.MULTI_SELECT})


class CustomField(models.Model):
    # The record type's key in crm.common.records ("customer", "deal"...): any type
    # registered with custom_fields=True, so a new module needs no migration here.
    model = models.CharField(_("rodzaj rekordu"), max_length=30)
    name = models.CharField(_("nazwa"), max_length=100)
    key = models.CharField(_("klucz"), max_length=40)
    type = models.CharField(_("typ"), max_length=20, choices=FieldType.choices)
    options = ArrayField(models.CharField(max_length=100), verbose_name=_("opcje"), default=list, blank=True)
    required = models.BooleanField(_("wymagane"), default=False)
    position = models.PositiveIntegerField(_("pozycja"), default=1)
    show_in_list = models.BooleanField(_("kolumna na liście"), default=False)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)

    class Meta:
        verbose_name = _("pole własne")
        verbose_name_plural = _("pola własne")
        ordering = ("model", "position", "id")
        constraints = [models.UniqueConstraint(fields=["model", "key"], name="customfield_model_key_unique")]

    def __str__(self) -> str:
        return self.name
