"""Deleted records kept for 30 days so that Szef can bring them back (Settings > Kosz)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEEP_DAYS = 30


def expires_default() -> object:
    return timezone.now() + timedelta(days=KEEP_DAYS)


class TrashEntry(models.Model):
    """One deletion: the record and every row that went with it (its notes, files,
    contact persons, timeline…), as they were, plus the rows whose link to it was
    cleared, so restoring puts everything back with the same ids."""

    record_key = models.CharField(_("rodzaj"), max_length=40)  # a registry key ("customer") or a model label
    model = models.CharField(max_length=100)  # "contacts.customer"
    object_pk = models.BigIntegerField()
    name = models.CharField(_("nazwa"), max_length=300)
    # [{"model": "contacts.customer", "pk": 5, "fields": {attname: value}}], parents first.
    rows = models.JSONField(default=list)
    # [{"model": ..., "field": attname, "value": pk, "pks": [...]}]: links set to NULL by the delete.
    links = models.JSONField(default=list)
    # [{"name": original storage name, "kept": name of the copy under trash/}]
    files = models.JSONField(default=list)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("usunął"), null=True, blank=True, on_delete=models.SET_NULL
    )
    deleted_at = models.DateTimeField(_("usunięto"), auto_now_add=True)
    expires_at = models.DateTimeField(_("usuniemy na zawsze"), default=expires_default, db_index=True)

    class Meta:
        verbose_name = _("usunięty rekord")
        verbose_name_plural = _("kosz")
        ordering = ("-deleted_at", "-id")

    def __str__(self) -> str:
        return self.name
