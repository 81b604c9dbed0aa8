"""Files of invoices answered to pages and the API alike."""

from __future__ import annotations

import re

from django.http import HttpResponse

from crm.invoicing.models import Invoice


def download_name(invoice: Invoice, suffix: str) -> str:
    """ "FV/2026/12/7" -> "FV-2026-12-7.xml" (a draft: its id)."""
    return re.sub(r"[^\w.-]+", "-", invoice.number or f"szkic-{invoice.pk}") + suffix


def xml_response(xml: bytes | str, invoice: Invoice, *, suffix: str = ".xml") -> HttpResponse:
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{download_name(invoice, suffix)}"'
    return response
