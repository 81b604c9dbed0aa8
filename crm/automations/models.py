"""Automations: a small table of rules "when X happens to a record, do Y", and the log
of every run (rule, record, result)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Trigger(models.TextChoices):
    DEAL_STAGE = "deal_stage", _("Szansa przechodzi do etapu")
    LEAD_SOURCE = "lead_source", _("Przychodzi lead ze źródła")
    INVOICE_OVERDUE = "invoice_overdue", _("Faktura jest po terminie")


class Action(models.TextChoices):
    CREATE_TASK = "create_task", _("Utwórz zadanie")
    ASSIGN_OWNER = "assign_owner", _("Przypisz opiekuna")
    SEND_EMAIL = "send_email", _("Wyślij e-mail do klienta")
    NOTIFY = "notify", _("Powiadom")


class AutomationRule(models.Model):
    name = models.CharField(_("nazwa"), max_length=100)
    enabled = models.BooleanField(_("włączona"), default=True)
    trigger = models.CharField(_("kiedy"), max_length=20, choices=Trigger.choices)
    stage = models.ForeignKey(
        "categories.DealStage", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("etap")
    )
    source = models.ForeignKey(
        "categories.ContactSource", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("źródło")
    )
    action = models.CharField(_("co zrobić"), max_length=20, choices=Action.choices)
    # The task's assignee, the new owner, or who is notified; empty: the record's owner.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("osoba")
    )
    task_title = models.CharField(_("tytuł zadania"), max_length=200, blank=True)
    task_due_days = models.PositiveSmallIntegerField(_("termin zadania (dni)"), default=1)
    # Subject and body of the e-mail (or the notification's text), with merge fields.
    subject = models.CharField(_("temat"), max_length=200, blank=True)
    body = models.TextField(_("treść"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("reguła automatyzacji")
        verbose_name_plural = _("reguły automatyzacji")

    def __str__(self) -> str:
        return self.name


class AutomationRun(models.Model):
    rule = models.ForeignKey(AutomationRule, on_delete=models.CASCADE, related_name="runs")
    record_type = models.CharField(max_length=20)  # "deal", "lead", "invoice"
    record_id = models.PositiveBigIntegerField()
    record_label = models.CharField(max_length=200, blank=True)
    ok = models.BooleanField(default=True)
    result = models.CharField(max_length=500, blank=True)
    # A rule that may run once per record (an overdue invoice): the database keeps it once.
    once = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "record_type", "record_id"],
                condition=Q(once=True),
                name="automations_run_once_per_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} → {self.record_type} {self.record_id}"
