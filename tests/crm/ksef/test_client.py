"""Sending invoices to KSeF through the real client against the local fake KSeF 2.0."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace

import pytest
from lxml import etree

from crm.ksef import (
    Fa3ValidationError,
    KsefConfig,
    KsefConnection,
    KsefDuplicate,
    KsefEnvironment,
    KsefRejected,
    KsefTransient,
    fa3_xml,
    ksef_invoice_result,
    ksef_send_invoice,
    ksef_upo,
)
from tests.crm.ksef.factories import invoice, line, renumbered
from tests.support.fake_ksef import DEFAULT_NIP, REJECT_MARKER, FakeKsef

UPO_NS = {"upo": "http://upo.schematy.mf.gov.pl/KSeF/v4-2"}


def test_accepted_invoice_comes_back_with_its_ksef_number_and_upo(fake_ksef: FakeKsef, ksef_config: KsefConfig) -> None:
    fake_ksef.processing_rounds = 2  # KSeF answers "being processed" twice first
    xml = fa3_xml(invoice())

    receipt = ksef_send_invoice(ksef_config, xml)

    assert re.fullmatch(rf"{DEFAULT_NIP}-20\d{{6}}-[0-9A-F]{{12}}-[0-9A-F]{{2}}", receipt.ksef_number)
    assert receipt.invoice_hash == base64.b64encode(hashlib.sha256(xml).digest()).decode()
    upo = etree.fromstring(receipt.upo_xml)
    assert upo.findtext("upo:Dokument/upo:NumerKSeFDokumentu", namespaces=UPO_NS) == receipt.ksef_number
    assert upo.findtext("upo:Dokument/upo:NumerFaktury", namespaces=UPO_NS) == "FV/2026/03/17"
    assert upo.findtext("upo:Dokument/upo:SkrotDokumentu", namespaces=UPO_NS) == receipt.invoice_hash
    assert [i.xml for i in fake_ksef.accepted()] == [xml]  # KSeF decrypted exactly what was sent


def test_the_invoice_travels_encrypted_and_the_token_never_in_clear(
    fake_ksef: FakeKsef, ksef_config: KsefConfig
) -> None:
    ksef_send_invoice(ksef_config, fa3_xml(invoice()))

    (sent,) = fake_ksef.calls("POST", "/sessions/online/")[:1]
    assert b"FV/2026/03/17" not in base64.b64decode(sent.body["encryptedInvoiceContent"])
    (auth,) = fake_ksef.calls("POST", "/auth/ksef-token")
    assert ksef_config.token not in str(auth.body)
    assert auth.body["contextIdentifier"] == {"type": "Nip", "value": DEFAULT_NIP}
    assert fake_ksef.calls("POST", "/sessions/online/")[-1].path.endswith("/close")


def test_rejected_invoice_reports_ksef_reason(fake_ksef: FakeKsef, ksef_config: KsefConfig) -> None:
    fake_ksef.reject_next("Data wystawienia faktury późniejsza niż data przesłania.")

    with pytest.raises(KsefRejected) as rejected:
        ksef_send_invoice(ksef_config, fa3_xml(invoice()))

    assert rejected.value.code == 450
    assert "Data wystawienia faktury późniejsza niż data przesłania." in rejected.value.reason
    assert "KSeF odrzucił fakturę" in rejected.value.message
    assert fake_ksef.accepted() == []


def test_invoice_with_the_rejection_marker_is_rejected(fake_ksef: FakeKsef, ksef_config: KsefConfig) -> None:
    with pytest.raises(KsefRejected, match="znacznik testowy"):
        ksef_send_invoice(ksef_config, fa3_xml(invoice(line(REJECT_MARKER, "1", "10", "23"))))


def test_invoice_of_another_seller_is_refused_by_ksef(fake_ksef: FakeKsef, ksef_config: KsefConfig) -> None:
    from tests.crm.ksef.factories import seller

    with pytest.raises(KsefRejected) as rejected:
        ksef_send_invoice(ksef_config, fa3_xml(invoice(seller=seller(nip="7740001454"))))

    assert rejected.value.code == 410


def test_server_errors_are_transient_and_the_callers_retry_succeeds(
    fake_ksef: FakeKsef, ksef_config: KsefConfig
) -> None:
    fake_ksef.fail_next(2, status=503)
    xml = fa3_xml(invoice())
    failures = []
    for _attempt in range(5):  # what the Celery task does, with backoff
        try:
            receipt = ksef_send_invoice(ksef_config, xml)
            break
        except KsefTransient as exc:
            failures.append(exc)
    else:
        pytest.fail("never sent")

    assert [f.status_code for f in failures] == [503, 503]
    assert receipt.ksef_number
    assert len(fake_ksef.accepted()) == 1


def test_too_many_requests_is_transient_with_the_wait_ksef_asked_for(
    fake_ksef: FakeKsef, ksef_config: KsefConfig
) -> None:
    fake_ksef.fail_next(1, status=429, path="/sessions/online", retry_after=30)

    with pytest.raises(KsefTransient) as transient:
        ksef_send_invoice(ksef_config, fa3_xml(invoice()))

    assert transient.value.status_code == 429
    assert transient.value.retry_after == 30
    assert "30" in transient.value.message


def test_no_answer_in_time_is_transient(fake_ksef: FakeKsef) -> None:
    config = KsefConfig(
        nip=DEFAULT_NIP, token=next(iter(fake_ksef.tokens)), api_base_url=fake_ksef.url, timeout_seconds=0.2
    )
    fake_ksef.delay_next(1, seconds=1.0)

    with pytest.raises(KsefTransient, match="nie odpowiada"):
        ksef_send_invoice(config, fa3_xml(invoice()))


def test_unreachable_ksef_is_transient() -> None:
    config = KsefConfig(nip=DEFAULT_NIP, token="x", api_base_url="http://127.0.0.1:9/v2", timeout_seconds=1)

    with pytest.raises(KsefTransient):
        ksef_send_invoice(config, fa3_xml(invoice()))


def test_the_same_invoice_sent_twice_is_refused_as_a_duplicate_naming_the_first(
    fake_ksef: FakeKsef, ksef_config: KsefConfig
) -> None:
    xml = fa3_xml(invoice())
    first = ksef_send_invoice(ksef_config, xml)

    with pytest.raises(KsefDuplicate) as duplicate:
        ksef_send_invoice(ksef_config, xml)

    assert duplicate.value.original_ksef_number == first.ksef_number
    assert duplicate.value.original_session == first.session_reference
    assert first.ksef_number in duplicate.value.message
    assert len(fake_ksef.accepted()) == 1


def test_after_a_duplicate_the_upo_of_the_original_can_be_fetched(fake_ksef: FakeKsef, ksef_config: KsefConfig) -> None:
    xml = fa3_xml(invoice())
    first = ksef_send_invoice(ksef_config, xml)
    with pytest.raises(KsefDuplicate) as duplicate:
        ksef_send_invoice(ksef_config, xml)

    upo = ksef_upo(
        ksef_config,
        session_reference=duplicate.value.original_session,
        ksef_number=duplicate.value.original_ksef_number,
    )

    assert upo == first.upo_xml


def test_another_document_under_an_already_sent_number_is_a_duplicate(
    fake_ksef: FakeKsef, ksef_config: KsefConfig
) -> None:
    ksef_send_invoice(ksef_config, fa3_xml(invoice()))

    with pytest.raises(KsefDuplicate):
        ksef_send_invoice(ksef_config, fa3_xml(invoice(line("Bułka", "5", "1.20", "5"))))


def test_a_lost_answer_leaves_the_references_to_ask_for_the_result_later(
    fake_ksef: FakeKsef, ksef_config: KsefConfig
) -> None:
    fake_ksef.fail_next(1, status=502, path="/sessions/20")  # the status check after sending fails

    with pytest.raises(KsefTransient) as transient:
        ksef_send_invoice(ksef_config, fa3_xml(invoice()))
    receipt = ksef_invoice_result(
        ksef_config,
        session_reference=transient.value.session_reference,
        invoice_reference=transient.value.invoice_reference,
    )

    assert receipt.ksef_number == fake_ksef.accepted()[0].ksef_number
    assert receipt.upo_xml


def test_a_wrong_token_is_rejected_with_ksef_reason(fake_ksef: FakeKsef) -> None:
    config = KsefConfig(nip=DEFAULT_NIP, token="nie-ten-token", api_base_url=fake_ksef.url, poll_interval_seconds=0)

    with pytest.raises(KsefRejected) as rejected:
        ksef_send_invoice(config, fa3_xml(invoice()))

    assert rejected.value.code == 450
    assert "Nieprawidłowy token" in rejected.value.reason
    assert "tokenu" in rejected.value.message
    assert fake_ksef.calls("POST", "/sessions/online") == []


def test_token_of_another_company_does_not_open_this_companys_context(fake_ksef: FakeKsef) -> None:
    other = fake_ksef.token_add("7740001454")
    config = KsefConfig(nip=DEFAULT_NIP, token=other, api_base_url=fake_ksef.url, poll_interval_seconds=0)

    with pytest.raises(KsefRejected):
        ksef_send_invoice(config, fa3_xml(invoice()))


def test_an_invalid_document_never_leaves_the_product(fake_ksef: FakeKsef, ksef_config: KsefConfig) -> None:
    broken = fa3_xml(invoice()).replace(b"<P_2>FV/2026/03/17</P_2>", b"")

    with pytest.raises(Fa3ValidationError):
        ksef_send_invoice(ksef_config, broken)

    assert fake_ksef.requests == []


def test_one_connection_sends_several_invoices_in_one_session(fake_ksef: FakeKsef, ksef_config: KsefConfig) -> None:
    with KsefConnection(ksef_config) as connection:
        receipts = [connection.send(fa3_xml(renumbered(invoice(), f"FV/2026/03/{n}"))) for n in (21, 22, 23)]

    assert len({r.ksef_number for r in receipts}) == 3
    assert len({r.session_reference for r in receipts}) == 1
    assert len(fake_ksef.calls("POST", "/auth/ksef-token")) == 1


def test_polling_gives_up_as_transient_while_ksef_is_still_processing(
    fake_ksef: FakeKsef, ksef_config: KsefConfig
) -> None:
    fake_ksef.processing_rounds = 10
    config = replace(ksef_config, poll_attempts=3)

    with pytest.raises(KsefTransient, match="przetwarza") as transient:
        ksef_send_invoice(config, fa3_xml(invoice()))

    assert transient.value.invoice_reference


def test_the_environment_decides_the_api_address_unless_a_custom_one_is_set() -> None:
    assert KsefConfig(nip=DEFAULT_NIP, token="t").base_url == "https://api-test.ksef.mf.gov.pl/v2"
    assert (
        KsefConfig(nip=DEFAULT_NIP, token="t", environment=KsefEnvironment.DEMO).base_url
        == "https://api-demo.ksef.mf.gov.pl/v2"
    )
    assert (
        KsefConfig(nip=DEFAULT_NIP, token="t", environment=KsefEnvironment("prod")).base_url
        == "https://api.ksef.mf.gov.pl/v2"
    )
    assert (
        KsefConfig(nip=DEFAULT_NIP, token="t", api_base_url="https://ksef-proxy.example/v2/").base_url
        == "https://ksef-proxy.example/v2"
    )
    assert "sekretny" not in repr(KsefConfig(nip=DEFAULT_NIP, token="sekretny"))
