"""Home page configuration: the widgets each rank sees, in order (Settings, Szef only)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.accounts.models import Role


class HomepageLayout(models.Model):
    """Visible widgets of one rank, in display order (keys of `crm.dashboard.widgets.WIDGETS`).
    No row for a rank means the default layout."""

    role = models.CharField(_("ranga"), max_length=20, choices=Role.choices, unique=True)
    widgets = ArrayField(models.CharField(max_length=40), verbose_name=_("elementy"), default=list, blank=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("układ strony głównej")
        verbose_name_plural = _("układy strony głównej")
        ordering = ("role",)

    def __str__(self) -> str:
        return self.get_role_display()


class ChecklistDismissal(models.Model):
    """The getting-started checklist was put away for the whole company (one row at most).

    Per company rather than per user: the list is about setting the company up, and it is
    shown to the Szef only (the steps are all Szef's: staff, pipeline, e-mail settings)."""

    dismissed_at = models.DateTimeField(_("ukryto"), auto_now_add=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("ukryta lista pierwszych kroków")
        verbose_name_plural = _("ukryte listy pierwszych kroków")

    def __str__(self) -> str:
        return str(self.dismissed_at)
