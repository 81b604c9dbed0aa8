"""Company-wide settings: one row per company schema."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CompanySettings(models.Model):
    restrict_pracownik_to_own = models.BooleanField(
        _("Pracownik widzi tylko swoich klientów, szanse i zadania"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ustawienia firmy")
        verbose_name_plural = _("ustawienia firmy")

    def __str__(self) -> str:
        return str(_("Ustawienia firmy"))

    @classmethod
    def current(cls) -> CompanySettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj
