from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Shared pieces of business documents (offers, invoices): VAT rates, line and
    per-rate totals, amounts in words, PDF rendering, the base of document lines."""

    name = "crm.documents"
    label = "documents"
    verbose_name = _("Dokumenty")
