"""A lead's notes and files go to its customer when the lead is converted (registered with
crm.leads.services in `NotesConfig.ready`; runs inside the conversion's transaction)."""

from __future__ import annotations

from crm.accounts.models import User
from crm.leads.models import Lead
from crm.leads.services import Conversion
from crm.notes.models import Attachment, Note


def lead_notes_move(lead: Lead, conversion: Conversion, actor: User | None) -> None:
    """Notes and files of `lead` now belong to the customer (and its new deal, if any)."""
    target = {"lead": None, "customer": conversion.customer, "deal": conversion.deal}
    Note.objects.filter(lead=lead).update(**target)
    Attachment.objects.filter(lead=lead).update(**target)
