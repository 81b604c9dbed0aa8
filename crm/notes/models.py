"""Notes, attached files and the timeline of changes shown on a customer card."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimelineEvent(models.Model):
    """Something that happened to a customer or one of its deals/tasks, shown in one
    chronological stream on the customer card ("changes" next to notes, tasks, files)."""

    customer = models.ForeignKey(
        "contacts.Customer", on_delete=models.CASCADE, related_name="timeline_events", verbose_name=_("klient")
    )
    deal = models.ForeignKey(
        "sales.Deal", null=True, blank=True, on_delete=models.SET_NULL, related_name="timeline_events"
    )
    task = models.ForeignKey(
        "tasks.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="timeline_events"
    )
    kind = models.CharField(_("rodzaj"), max_length=40)
    message = models.CharField(_("opis"), max_length=500)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("kiedy"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("zdarzenie")
        verbose_name_plural = _("zdarzenia")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["customer", "-created_at"], name="timeline_customer_idx")]

    def __str__(self) -> str:
        return self.message
