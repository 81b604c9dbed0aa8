"""The customer's page of a contract, /c/<token>/ on the company host, without login:
the customer reads and signs once (typed name, time, address, SHA-256 of the text),
another host does not know the token, a draft has no page, staff see a preview."""

from __future__ import annotations

import hashlib

from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.contracts.models import Contract, ContractStatus
from crm.contracts.selectors import contract_text
from crm.contracts.services import contract_update
from tests.crm.contracts.factories import contract_make

CUSTOMER_IP = "203.0.113.7"


def _url(contract: Contract, suffix: str = "") -> str:
    return f"/c/{contract.public_token}/{suffix}"


def _reload(company, contract: Contract) -> Contract:
    with schema_context(company.schema_name):
        return Contract.objects.select_related("customer", "type").get(pk=contract.pk)


def test_the_customer_reads_the_contract_without_signing_in(client_a, sent_contract):
    contract = sent_contract()

    response = client_a.get(_url(contract))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Obsługa serwisowa 2027" in page and "Wykonawca świadczy usługi serwisowe." in page
    assert 'data-testid="contract-sign-form"' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow" and "no-store" in response["Cache-Control"]


def test_signing_records_the_name_time_address_and_hash_of_the_text_once(client_a, company_a, sent_contract):
    contract = sent_contract()

    first = client_a.post(_url(contract, "sign/"), {"name": "Jan Kowalski", "confirm": "on"}, REMOTE_ADDR=CUSTOMER_IP)
    second = client_a.post(_url(contract, "sign/"), {"name": "Ktoś Inny", "confirm": "on"}, REMOTE_ADDR="198.51.100.9")

    assert first.status_code == 302
    assert second.status_code == 409
    assert "już podpisana" in second.content.decode()
    stored = _reload(company_a, contract)
    assert stored.status == ContractStatus.SIGNED
    assert (stored.signed_by, stored.signed_ip) == ("Jan Kowalski", CUSTOMER_IP)
    assert stored.signed_at is not None
    assert stored.signed_hash == hashlib.sha256(contract_text(stored).encode()).hexdigest()
    with schema_context(company_a.schema_name):
        assert ActivityEntry.objects.filter(code="contract.signed", object_id=str(contract.pk)).count() == 1
    page = client_a.get(_url(contract)).content.decode()
    assert "Umowa podpisana: Jan Kowalski" in page and 'data-testid="contract-sign-form"' not in page


def test_signing_needs_a_name_and_the_confirmation(client_a, company_a, sent_contract):
    contract = sent_contract()

    response = client_a.post(_url(contract, "sign/"), {"name": "J"})

    assert response.status_code == 400
    assert _reload(company_a, contract).signed_at is None


def test_a_contract_changed_since_the_page_was_opened_is_not_signed(client_a, company_a, szef, sent_contract):
    contract = sent_contract()
    shown = client_a.get(_url(contract)).context["document_hash"]
    with schema_context(company_a.schema_name):
        contract_update(contract=contract, actor=szef, description="Nowa treść")

    response = client_a.post(_url(contract, "sign/"), {"name": "Jan Kowalski", "confirm": "on", "document_hash": shown})

    assert response.status_code == 409
    assert _reload(company_a, contract).signed_at is None


def test_another_companys_host_and_the_public_site_do_not_know_the_token(client_b, public_client, sent_contract):
    contract = sent_contract()

    assert client_b.get(_url(contract)).status_code == 404
    assert client_b.post(_url(contract, "sign/"), {"name": "Jan Kowalski", "confirm": "on"}).status_code == 404
    assert public_client.get(_url(contract)).status_code == 404


def test_signing_on_another_companys_host_changes_nothing(client_b, company_a, sent_contract):
    contract = sent_contract()

    client_b.post(_url(contract, "sign/"), {"name": "Jan Kowalski", "confirm": "on"})

    assert _reload(company_a, contract).signed_at is None


def test_a_draft_has_no_public_page(client_a, company_a):
    with schema_context(company_a.schema_name):
        draft = contract_make()

    assert client_a.get(_url(draft)).status_code == 404
    assert client_a.post(_url(draft, "sign/"), {"name": "Jan Kowalski", "confirm": "on"}).status_code == 404


def test_staff_see_a_preview_and_cannot_sign(client_a, company_a, szef, sent_contract):
    contract = sent_contract()
    client_a.login_as(szef)

    page = client_a.get(_url(contract))
    sign = client_a.post(_url(contract, "sign/"), {"name": "Jan Kowalski", "confirm": "on"})

    assert "Podgląd" in page.content.decode()
    assert sign.status_code == 403
    assert _reload(company_a, contract).signed_at is None


def test_guessing_tokens_is_stopped_for_a_while(client_a, sent_contract, settings):
    settings.IMCRM_CONTRACT_PUBLIC_RATE_LIMITS = {"contract_public_miss": (3, 3600)}
    contract = sent_contract()

    misses = [client_a.get(f"/c/zgadywany-token-{n}/").status_code for n in range(3)]
    blocked = client_a.get(_url(contract))

    assert misses == [404, 404, 404]
    assert blocked.status_code == 429


def test_a_signed_contracts_content_no_longer_changes_but_it_can_be_terminated(client_a, szef, api_szef, sent_contract):
    contract = sent_contract()
    client_a.post(_url(contract, "sign/"), {"name": "Jan Kowalski", "confirm": "on"})

    changed = api_szef.patch(f"/api/v1/contracts/{contract.pk}/", {"value": "1.00"}, content_type="application/json")
    terminated = api_szef.patch(
        f"/api/v1/contracts/{contract.pk}/", {"status": "terminated"}, content_type="application/json"
    )
    deleted = api_szef.delete(f"/api/v1/contracts/{contract.pk}/")

    assert changed.status_code == 400 and "podpisana" in str(changed.json())
    assert terminated.status_code == 200 and terminated.json()["status"] == "terminated"
    assert terminated.json()["value"] == "12000.00" and terminated.json()["signed_by"] == "Jan Kowalski"
    assert deleted.status_code == 400
