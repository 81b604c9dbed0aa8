"""KSeF, Poland's national e-invoicing system: FA(3) invoices, validation against the
official schema, sending through the KSeF 2.0 API, verification links (KOD I).

A library without models: documents map themselves onto `Fa3Invoice` and call these.

    xml = fa3_xml(invoice)                       # validated FA(3), or Fa3Error
    receipt = ksef_send_invoice(config, xml)     # KSeF number + UPO, or KsefTransient/KsefRejected/KsefDuplicate
    url = ksef_verification_url(xml=xml, seller_nip=..., issue_date=..., environment=config.environment)
"""

from __future__ import annotations

from crm.ksef.client import KsefConnection, KsefReceipt, ksef_invoice_result, ksef_send_invoice, ksef_upo
from crm.ksef.config import KsefConfig, KsefEnvironment
from crm.ksef.errors import (
    Fa3Error,
    Fa3ProformaRefused,
    Fa3ValidationError,
    KsefDuplicate,
    KsefError,
    KsefRejected,
    KsefTransient,
)
from crm.ksef.fa3 import fa3_rate, fa3_xml
from crm.ksef.invoice import (
    Address,
    Buyer,
    Correction,
    CorrectionEffect,
    Exemption,
    ExemptionBasis,
    Fa3Invoice,
    InvoiceKind,
    Line,
    Payment,
    PaymentMethod,
    RateTotal,
    Seller,
)
from crm.ksef.qr import invoice_hash, ksef_verification_url, ksef_verification_url_for_hash
from crm.ksef.validation import fa3_validate

__all__ = [
    "Address",
    "Buyer",
    "Correction",
    "CorrectionEffect",
    "Exemption",
    "ExemptionBasis",
    "Fa3Error",
    "Fa3Invoice",
    "Fa3ProformaRefused",
    "Fa3ValidationError",
    "InvoiceKind",
    "KsefConfig",
    "KsefConnection",
    "KsefDuplicate",
    "KsefEnvironment",
    "KsefError",
    "KsefReceipt",
    "KsefRejected",
    "KsefTransient",
    "Line",
    "Payment",
    "PaymentMethod",
    "RateTotal",
    "Seller",
    "fa3_rate",
    "fa3_validate",
    "fa3_xml",
    "invoice_hash",
    "ksef_invoice_result",
    "ksef_send_invoice",
    "ksef_upo",
    "ksef_verification_url",
    "ksef_verification_url_for_hash",
]
