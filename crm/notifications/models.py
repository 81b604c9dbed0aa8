"""In-app notifications of staff (the bell in the header) and each person's choice of
which kinds also come by e-mail.

A notification keeps its kind and parameters, not a finished sentence: the text is put
together when it is shown, in the reader's language (`Notification.message`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    TASK_ASSIGNED = "task_assigned", _("Przypisano mi zadanie")
    DEAL_ASSIGNED = "deal_assigned", _("Przypisano mi szansę sprzedaży")
    MENTION = "mention", _("Ktoś wspomniał o mnie w notatce")
    TICKET_ASSIGNED = "ticket_assigned", _("Przypisano mi zgłoszenie")
    TICKET_ANSWERED = "ticket_answered", _("Klient odpowiedział w moim zgłoszeniu")
    OFFER_ACCEPTED = "offer_accepted", _("Klient zaakceptował moją ofertę")
    OFFER_DECLINED = "offer_declined", _("Klient odrzucił moją ofertę")
    INVOICE_PAID = "invoice_paid", _("Faktura mojego klienta została opłacona")
    IMPORT_FINISHED = "import_finished", _("Mój import się zakończył")
    PROJECT_MESSAGE = "project_message", _("Nowa wiadomość w dyskusji mojego projektu")
    AUTOMATION = "automation", _("Reguła automatyzacji mnie powiadamia")


# What the bell says; %(actor)s is the person who did it ("System" when nobody did).
MESSAGES: dict[str, Any] = {
    NotificationKind.TASK_ASSIGNED: _("%(actor)s przypisuje Ci zadanie „%(title)s”."),
    NotificationKind.DEAL_ASSIGNED: _("%(actor)s przekazuje Ci szansę sprzedaży „%(title)s”."),
    NotificationKind.MENTION: _("%(actor)s wspomina o Tobie w notatce: %(title)s"),
    NotificationKind.TICKET_ASSIGNED: _("%(actor)s przypisuje Ci zgłoszenie %(title)s."),
    NotificationKind.TICKET_ANSWERED: _("Nowa odpowiedź klienta w zgłoszeniu %(title)s."),
    NotificationKind.OFFER_ACCEPTED: _("Klient zaakceptował ofertę %(title)s."),
    NotificationKind.OFFER_DECLINED: _("Klient odrzucił ofertę %(title)s."),
    NotificationKind.INVOICE_PAID: _("Faktura %(title)s została opłacona."),
    NotificationKind.IMPORT_FINISHED: _("Import zakończony: %(title)s."),
    NotificationKind.PROJECT_MESSAGE: _("Nowa wiadomość w dyskusji projektu %(title)s."),
    NotificationKind.AUTOMATION: _("%(title)s"),
}

# Which kinds come by e-mail until the person decides otherwise (Settings of notifications).
EMAIL_BY_DEFAULT = frozenset(
    {
        NotificationKind.TASK_ASSIGNED,
        NotificationKind.DEAL_ASSIGNED,
        NotificationKind.MENTION,
        NotificationKind.TICKET_ASSIGNED,
        NotificationKind.TICKET_ANSWERED,
        NotificationKind.OFFER_ACCEPTED,
        NotificationKind.OFFER_DECLINED,
        NotificationKind.PROJECT_MESSAGE,
    }
)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("odbiorca")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kto"),
    )
    kind = models.CharField(_("rodzaj"), max_length=32, choices=NotificationKind.choices)
    params = models.JSONField(_("szczegóły"), default=dict, blank=True)
    url = models.CharField(_("adres"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)
    read_at = models.DateTimeField(_("przeczytano"), null=True, blank=True)

    class Meta:
        verbose_name = _("powiadomienie")
        verbose_name_plural = _("powiadomienia")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return str(self.message)

    @property
    def message(self) -> str:
        """The sentence in the active language (it is built when shown, not when stored)."""
        params = {"actor": _("System"), "title": ""} | {k: str(v) for k, v in self.params.items()}
        return str(MESSAGES[self.kind]) % params

    @property
    def unread(self) -> bool:
        return self.read_at is None


class NotificationEmailSetting(models.Model):
    """A person's choice for one kind; absent: EMAIL_BY_DEFAULT decides."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_setting_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.email}"
