"""The verification link of an invoice sent online to KSeF ("KOD I"), printed as a QR code
on the invoice's visualisation (PDF), with the KSeF number under it once known.

Per the Ministry's "Kody weryfikujące QR": environment's QR host + `/invoice/` + seller's
NIP + issue date (P_1) as DD-MM-RRRR + SHA-256 of the invoice file, Base64URL without
padding. The hash is of the exact bytes sent to KSeF: keep the XML that was sent.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date

from django.utils.translation import gettext as _

from crm.ksef.config import KsefEnvironment
from crm.ksef.errors import Fa3Error


def invoice_hash(xml: bytes) -> bytes:
    """SHA-256 of the invoice file, as KSeF computes it."""
    return hashlib.sha256(xml).digest()


def ksef_verification_url(
    *,
    xml: bytes,
    seller_nip: str,
    issue_date: date,
    environment: KsefEnvironment = KsefEnvironment.PRODUCTION,
) -> str:
    """KOD I: e.g. https://qr.ksef.mf.gov.pl/invoice/1111111111/01-02-2026/UtQp9Gpc51y-u3xApZjIjgkpZ01js-J8KflSPW8WzIE"""
    return ksef_verification_url_for_hash(
        digest=invoice_hash(xml), seller_nip=seller_nip, issue_date=issue_date, environment=environment
    )


def ksef_verification_url_for_hash(
    *,
    digest: bytes,
    seller_nip: str,
    issue_date: date,
    environment: KsefEnvironment = KsefEnvironment.PRODUCTION,
) -> str:
    """KOD I from the SHA-256 `digest` of the sent file (what an invoice keeps once sent)."""
    nip = re.sub(r"[\s-]", "", seller_nip).upper().removeprefix("PL")
    if not re.fullmatch(r"\d{10}", nip):
        raise Fa3Error(_("Nieprawidłowy NIP: %(nip)s.") % {"nip": seller_nip}, field="seller")
    encoded = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return f"{environment.qr_url}/invoice/{nip}/{issue_date.strftime('%d-%m-%Y')}/{encoded}"
