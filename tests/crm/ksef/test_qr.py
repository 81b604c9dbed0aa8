"""The KOD I verification link printed as a QR code on an invoice sent to KSeF."""

from __future__ import annotations

import base64
import hashlib
from datetime import date

import pytest

from crm.ksef import Fa3Error, KsefEnvironment, fa3_xml, ksef_verification_url
from tests.crm.ksef.factories import invoice


def test_link_is_host_nip_issue_date_and_the_base64url_sha256_of_the_xml() -> None:
    xml = fa3_xml(invoice())
    digest = base64.urlsafe_b64encode(hashlib.sha256(xml).digest()).decode().rstrip("=")

    url = ksef_verification_url(xml=xml, seller_nip="526-104-08-28", issue_date=date(2026, 2, 1))

    assert url == f"https://qr.ksef.mf.gov.pl/invoice/5261040828/01-02-2026/{digest}"
    assert len(digest) == 43 and "=" not in url and "+" not in url and "/" not in digest


@pytest.mark.parametrize(
    ("environment", "host"),
    [
        (KsefEnvironment.TEST, "https://qr-test.ksef.mf.gov.pl/invoice/"),
        (KsefEnvironment.DEMO, "https://qr-demo.ksef.mf.gov.pl/invoice/"),
        (KsefEnvironment.PRODUCTION, "https://qr.ksef.mf.gov.pl/invoice/"),
    ],
)
def test_link_points_at_the_environment_the_invoice_was_sent_to(environment: KsefEnvironment, host: str) -> None:
    url = ksef_verification_url(
        xml=b"<x/>", seller_nip="5261040828", issue_date=date(2026, 3, 16), environment=environment
    )

    assert url.startswith(host + "5261040828/16-03-2026/")


def test_a_changed_byte_changes_the_link() -> None:
    xml = fa3_xml(invoice())

    first = ksef_verification_url(xml=xml, seller_nip="5261040828", issue_date=date(2026, 3, 16))
    second = ksef_verification_url(xml=xml + b"\n", seller_nip="5261040828", issue_date=date(2026, 3, 16))

    assert first != second


def test_a_malformed_nip_is_refused() -> None:
    with pytest.raises(Fa3Error, match="NIP"):
        ksef_verification_url(xml=b"<x/>", seller_nip="12345", issue_date=date(2026, 3, 16))
