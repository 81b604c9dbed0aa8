"""Writes of invoices (see each module): drafts, issuing with gap-free numbering,
corrections, pro-forma and offer conversions, sending to KSeF."""

from __future__ import annotations

from crm.invoicing.services.common import InvoiceStateError, LineData, invoice_totals
from crm.invoicing.services.conversions import invoice_from_offer, invoice_proforma_convert
from crm.invoicing.services.corrections import invoice_correction_create
from crm.invoicing.services.drafts import invoice_create, invoice_delete, invoice_update
from crm.invoicing.services.issue import invoice_issue
from crm.invoicing.services.ksef import invoice_ksef_queue

__all__ = [
    "InvoiceStateError",
    "LineData",
    "invoice_correction_create",
    "invoice_create",
    "invoice_delete",
    "invoice_from_offer",
    "invoice_issue",
    "invoice_ksef_queue",
    "invoice_proforma_convert",
    "invoice_totals",
    "invoice_update",
]
