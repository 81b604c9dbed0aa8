"""Notes, attached files and the timeline of changes shown on a customer card."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.activity.messages import event_text

# Whose fields an event's "changes" name, by the code's prefix.
CODE_MODELS = {
    "customer": "contacts.customer",
    "contact": "contacts.contactperson",
    "deal": "sales.deal",
    "task": "tasks.task",
    "product": "catalog.product",
    "offer": "offers.offer",
    "invoice": "invoicing.invoice",
    "contract": "contracts.contract",
    "ticket": "tickets.ticket",
    "project": "projects.project",
    "lead": "leads.lead",
}
# The records below a customer a note, a file or an event can belong to (one at most),
# most specific first; a row with none of them belongs to the customer itself.
LINKED_KINDS = ("task", "offer", "invoice", "contract", "ticket", "project", "lead", "deal")


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
    offer = models.ForeignKey(
        "offers.Offer", null=True, blank=True, on_delete=models.SET_NULL, related_name="timeline_events"
    )
    invoice = models.ForeignKey(
        "invoicing.Invoice", null=True, blank=True, on_delete=models.SET_NULL, related_name="timeline_events"
    )
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.SET_NULL, related_name="timeline_events"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="timeline_events"
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="timeline_events"
    )
    kind = models.CharField(_("rodzaj"), max_length=40)
    # The event code and its parameters, rendered in the reader's language
    # (crm/activity/messages.py); `message` is the Polish text (rows written before codes).
    code = models.CharField(_("zdarzenie"), max_length=60, blank=True)
    params = models.JSONField(_("parametry"), default=dict, blank=True)
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

    @property
    def text(self) -> str:
        """The description in the active language."""
        return event_text(code=self.code, params=self.params, object_type=self.object_type, fallback=self.message)

    @property
    def object_type(self) -> str:
        return CODE_MODELS.get(self.code.split(".", 1)[0], "")


class TargetedMixin(models.Model):
    """A note or file belongs to a task, an offer, an invoice, a deal or a customer (the
    most specific one wins). `customer` is also filled for a note on a record of the
    customer so the customer's timeline finds it with one indexed query."""

    customer = models.ForeignKey(
        "contacts.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("klient")
    )
    deal = models.ForeignKey(
        "sales.Deal", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("szansa")
    )
    task = models.ForeignKey(
        "tasks.Task", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("zadanie")
    )
    offer = models.ForeignKey(
        "offers.Offer", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("oferta")
    )
    invoice = models.ForeignKey(
        "invoicing.Invoice",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("faktura"),
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("umowa"),
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("zgłoszenie"),
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("projekt"),
    )
    # A lead has no customer yet: its notes and files move to the customer on conversion.
    # No index of its own: the (lead, -created_at) index of each table serves it.
    lead = models.ForeignKey(
        "leads.Lead",
        null=True,
        blank=True,
        db_index=False,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("lead"),
    )

    class Meta:
        abstract = True

    @property
    def target_kind(self) -> str:
        for kind in LINKED_KINDS:
            if getattr(self, f"{kind}_id"):
                return kind
        return "customer"

    @property
    def target_id(self) -> int:
        return int(getattr(self, f"{self.target_kind}_id") or 0)


def has_target() -> models.Q:
    """A note or file names at least one record."""
    q = models.Q(customer__isnull=False)
    for kind in LINKED_KINDS:
        q |= models.Q(**{f"{kind}__isnull": False})
    return q


class NoteKind(models.TextChoices):
    NOTE = "note", _("Notatka")
    CALL = "call", _("Rozmowa telefoniczna")
    MEETING = "meeting", _("Spotkanie")


class Note(TargetedMixin):
    body = models.TextField(_("treść"))
    # A call or a meeting noted down also moves the customer's "Ostatni kontakt".
    kind = models.CharField(_("rodzaj"), max_length=10, choices=NoteKind.choices, default=NoteKind.NOTE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("autor"),
    )
    created_at = models.DateTimeField(_("dodano"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edytowano"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("notatka")
        verbose_name_plural = _("notatki")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="note_customer_idx"),
            models.Index(fields=["deal", "-created_at"], name="note_deal_idx"),
            models.Index(fields=["task", "-created_at"], name="note_task_idx"),
            models.Index(fields=["offer", "-created_at"], name="note_offer_idx"),
            models.Index(fields=["invoice", "-created_at"], name="note_invoice_idx"),
            models.Index(fields=["contract", "-created_at"], name="note_contract_idx"),
            models.Index(fields=["ticket", "-created_at"], name="note_ticket_idx"),
            models.Index(fields=["project", "-created_at"], name="note_project_idx"),
            models.Index(fields=["lead", "-created_at"], name="note_lead_idx"),
        ]
        constraints = [models.CheckConstraint(condition=has_target(), name="note_has_target")]

    def __str__(self) -> str:
        return self.body[:60]


class NoteRevision(models.Model):
    """An earlier wording of a note, kept when the note is edited."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(_("treść"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(_("napisano"))
    replaced_at = models.DateTimeField(_("zastąpiono"), auto_now_add=True)

    class Meta:
        verbose_name = _("wersja notatki")
        verbose_name_plural = _("wersje notatki")
        ordering = ("-written_at", "-id")

    def __str__(self) -> str:
        return self.body[:60]


class Attachment(TargetedMixin):
    """A file in the company's own media area; served only through an authorising view."""

    file = models.FileField(_("plik"), upload_to="attachments/%Y/%m/", max_length=300)
    name = models.CharField(_("nazwa pliku"), max_length=255)
    content_type = models.CharField(_("typ"), max_length=120)
    size = models.PositiveBigIntegerField(_("rozmiar"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dodano"), auto_now_add=True)

    class Meta:
        verbose_name = _("plik")
        verbose_name_plural = _("pliki")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="attachment_customer_idx"),
            models.Index(fields=["deal", "-created_at"], name="attachment_deal_idx"),
            models.Index(fields=["task", "-created_at"], name="attachment_task_idx"),
            models.Index(fields=["offer", "-created_at"], name="attachment_offer_idx"),
            models.Index(fields=["invoice", "-created_at"], name="attachment_invoice_idx"),
            models.Index(fields=["contract", "-created_at"], name="attachment_contract_idx"),
            models.Index(fields=["ticket", "-created_at"], name="attachment_ticket_idx"),
            models.Index(fields=["project", "-created_at"], name="attachment_project_idx"),
            models.Index(fields=["lead", "-created_at"], name="attachment_lead_idx"),
        ]
        constraints = [models.CheckConstraint(condition=has_target(), name="attachment_has_target")]

    def __str__(self) -> str:
        return self.name
