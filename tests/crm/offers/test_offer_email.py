"""Sending an offer goes through the company's own SMTP server (a real one on 127.0.0.1,
tests/support/fake_smtp.py): the customer gets the link to the public page; if the
server refuses, the offer stays a draft and its number is not used."""

from __future__ import annotations

import email
from email import policy

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from crm.documents.models import DocumentCounter
from crm.offers.models import Offer, OfferStatus
from crm.offers.services import offer_send
from tests.crm.offers.factories import offer_make
from tests.support.fake_smtp import smtp_server_running


def _parsed(envelope):
    return email.message_from_bytes(envelope.content, policy=policy.default)


def test_the_customer_gets_the_offer_from_the_companys_smtp_with_the_link(company_a, szef, company_settings_a):
    with smtp_server_running() as server:
        company_settings_a(
            smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none", smtp_from="Alfa <oferty@alfa.test>"
        )
        with schema_context(company_a.schema_name):
            offer = offer_make(actor=szef)
            sent = offer_send(
                offer=offer, actor=szef, to="zakupy@klient.test, szef@klient.test", message="W załączeniu."
            )

    assert sent.status == OfferStatus.SENT
    assert len(server.sink.messages) == 1
    envelope = server.sink.messages[0]
    assert sorted(envelope.rcpt_tos) == ["szef@klient.test", "zakupy@klient.test"]
    message = _parsed(envelope)
    assert message["From"] == "Alfa <oferty@alfa.test>"
    assert message["Reply-To"] == "szef@alfa.test"
    assert sent.number in message["Subject"] and "Alfa Sp. z o.o." in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert f"/o/{sent.public_token}/" in body
    assert "W załączeniu." in body
    assert "1\xa0554,00 PLN" in body


def test_a_refused_recipient_leaves_the_draft_unsent_and_its_number_unused(company_a, szef, company_settings_a):
    with smtp_server_running(refuse=["zakupy@klient.test"]) as server:
        company_settings_a(smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none", smtp_from="a@alfa.test")
        with schema_context(company_a.schema_name):
            offer = offer_make(actor=szef)
            with pytest.raises(ValidationError) as refused:
                offer_send(offer=offer, actor=szef, to="zakupy@klient.test")
            stored = Offer.objects.get(pk=offer.pk)
            assert (stored.status, stored.number, stored.sent_at) == (OfferStatus.DRAFT, "", None)
            assert not DocumentCounter.objects.filter(last_number__gt=0).exists()

    assert "Nie udało się wysłać" in refused.value.messages[0]
    assert server.sink.messages == []


def test_a_wrong_address_is_refused_before_anything_is_sent(company_a, szef):
    with schema_context(company_a.schema_name):
        offer = offer_make(actor=szef)
        with pytest.raises(ValidationError) as refused:
            offer_send(offer=offer, actor=szef, to="zakupy@klient.test, nie-adres")

    assert refused.value.message_dict["to"] == ["„nie-adres” nie jest poprawnym adresem e-mail."]
