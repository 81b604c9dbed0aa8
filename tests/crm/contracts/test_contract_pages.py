"""The contract pages: the list with filters, the form with errors next to the fields,
the card with the signature and the renewal history, sending, renewing, deleting to the
trash, the customer card's tab; another company's contract is a 404 on every page, a
Pracownik changes only his own, a restricted one sees only his own."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from crm.contracts.models import Contract, ContractStatus, ContractType
from crm.contracts.services import contract_renew
from crm.trash.models import TrashEntry
from crm.trash.services import trash_restore
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.contracts.factories import contract_make


def _urls(contract: Contract) -> list[str]:
    pk = contract.pk
    return [
        f"/contracts/{pk}/",
        f"/contracts/{pk}/edit/",
        f"/contracts/{pk}/send/",
        f"/contracts/{pk}/renew/",
        f"/contracts/{pk}/delete/",
    ]


def test_the_list_filters_by_status_type_and_text(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        first, second = list(ContractType.objects.order_by("position")[:2])
        contract_make(actor=szef, subject="Serwis drukarek", type=first)
        contract_make(actor=szef, subject="Licencja ERP", type=second)
    client_a.login_as(szef)

    everything = client_a.get("/contracts/").content.decode()
    by_type = client_a.get("/contracts/", {"type": second.pk}).content.decode()
    by_text = client_a.get("/contracts/", {"q": "drukarek"}).content.decode()
    by_status = client_a.get("/contracts/", {"status": "active"}).content.decode()

    assert "Serwis drukarek" in everything and "Licencja ERP" in everything
    assert "Licencja ERP" in by_type and "Serwis drukarek" not in by_type
    assert "Serwis drukarek" in by_text and "Licencja ERP" not in by_text
    assert "Serwis drukarek" not in by_status


def test_the_list_shows_contracts_created_from_a_date_and_explains_a_bad_date(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        old = contract_make(actor=szef, subject="Umowa z zeszłego roku")
        Contract.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
        contract_make(actor=szef, subject="Umowa z tego tygodnia")
    client_a.login_as(szef)
    since = (timezone.localdate() - timedelta(days=6)).isoformat()

    recent = client_a.get("/contracts/", {"created_from": since}).content.decode()
    bad = client_a.get("/contracts/", {"created_from": "2026-02-31"})

    assert "Umowa z tego tygodnia" in recent and "Umowa z zeszłego roku" not in recent
    assert f'value="{since}"' in recent
    page = bad.content.decode()
    assert bad.status_code == 200 and "is-invalid" in page
    assert "Umowa z tego tygodnia" in page and "Umowa z zeszłego roku" in page  # the bad filter is left out


def test_the_home_page_block_links_to_the_contracts_it_counts(client_a, szef, company_a):
    client_a.login_as(szef)

    page = client_a.get("/", {"contracts_days": "7"}).content.decode()

    since = (timezone.localdate() - timedelta(days=6)).isoformat()
    assert f'href="/contracts/?created_from={since}"' in page


def test_creating_a_contract_on_the_page(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
        kind = ContractType.objects.first()
    client_a.login_as(szef)
    assert client_a.get(f"/contracts/new/?customer={customer.pk}").status_code == 200

    response = client_a.post(
        "/contracts/new/",
        {
            "subject": "Umowa wsparcia",
            "customer": customer.pk,
            "type": kind.pk,
            "value": "5000",
            "currency": "PLN",
            "start_date": "2027-01-01",
            "end_date": "2027-12-31",
            "status": "draft",
            "owner": szef.pk,
            "description": "Treść",
        },
    )

    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        contract = Contract.objects.get()
        assert (contract.subject, contract.type, str(contract.value)) == ("Umowa wsparcia", kind, "5000.00")


def test_an_end_before_the_start_shows_the_error_next_to_the_field(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
    client_a.login_as(szef)

    response = client_a.post(
        "/contracts/new/",
        {
            "subject": "Umowa",
            "customer": customer.pk,
            "value": "0",
            "currency": "PLN",
            "start_date": "2027-05-10",
            "end_date": "2027-05-01",
            "status": "draft",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["end_date"] == [
        "Data zakończenia nie może być wcześniejsza niż data rozpoczęcia."
    ]
    with schema_context(company_a.schema_name):
        assert not Contract.objects.exists()


def test_sending_from_the_card_emails_the_customer(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        contract = contract_make(actor=szef)
    client_a.login_as(szef)
    mail.outbox.clear()

    response = client_a.post(f"/contracts/{contract.pk}/send/", {"to": "zarzad@klient.test", "message": ""})

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["zarzad@klient.test"]]
    with schema_context(company_a.schema_name):
        assert Contract.objects.get(pk=contract.pk).status == ContractStatus.SENT


def test_renewing_on_the_page_makes_a_draft_and_the_card_lists_the_history(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        contract = contract_make(actor=szef)
    client_a.login_as(szef)

    response = client_a.post(f"/contracts/{contract.pk}/renew/", {"start_date": "2028-01-01", "end_date": "2028-12-31"})

    with schema_context(company_a.schema_name):
        renewal = Contract.objects.get(renewed_from=contract)
    assert response.status_code == 302 and response["Location"] == f"/contracts/{renewal.pk}/"
    card = client_a.get(f"/contracts/{contract.pk}/").content.decode()
    assert 'data-testid="contract-history"' in card and f"/contracts/{renewal.pk}/" in card


def test_a_renewal_with_bad_dates_shows_the_error(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        contract = contract_make(actor=szef)
    client_a.login_as(szef)

    response = client_a.post(f"/contracts/{contract.pk}/renew/", {"start_date": "2028-01-01", "end_date": "2027-01-01"})

    assert response.status_code == 400
    assert "wcześniejsza niż data rozpoczęcia" in response.context["form"].errors["end_date"][0]


def test_the_customer_card_has_a_contracts_tab(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        contract = contract_make(actor=szef, subject="Umowa na karcie")

    page = client_a.login_as(szef).get(f"/customers/{contract.customer_id}/?tab=contracts").content.decode()

    assert "Umowa na karcie" in page


def test_a_deleted_contract_goes_to_the_trash_and_comes_back(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        contract = contract_make(actor=szef, subject="Do kosza")
    response = client_a.login_as(szef).post(f"/contracts/{contract.pk}/delete/")

    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        assert not Contract.objects.filter(pk=contract.pk).exists()
        entry = TrashEntry.objects.get(record_key="contract", object_pk=contract.pk)
        restored = trash_restore(entry=entry, actor=szef)
        assert Contract.objects.get(pk=restored.pk).subject == "Do kosza"


def test_the_global_search_finds_a_contract_by_subject(client_a, szef, pracownik, company_a):
    with schema_context(company_a.schema_name):
        contract_make(actor=szef, subject="Umowa na dostawę łożysk")

    found = client_a.login_as(szef).get("/search/", {"q": "lozysk", "partial": "1"}).content.decode()

    assert "Umowa na dostawę łożysk" in found and "Umowy" in found


def test_every_contract_page_is_a_404_for_another_company(client_b, outsider, company_a, szef):
    with schema_context(company_a.schema_name):
        contract = contract_make(actor=szef)
    client_b.login_as(outsider)

    for url in _urls(contract):
        assert client_b.get(url).status_code == 404, url
        assert client_b.post(url, {"start_date": "2028-01-01", "to": "a@b.test"}).status_code in (404, 405), url
    assert client_b.get(f"/contracts/new/?customer={contract.customer_id}").status_code == 404
    with schema_context(company_a.schema_name):
        assert Contract.objects.filter(pk=contract.pk, status=ContractStatus.DRAFT).count() == 1


def test_a_pracownik_sees_but_cannot_change_a_colleagues_contract(client_a, pracownik, szef, company_a):
    with schema_context(company_a.schema_name):
        contract = contract_make(actor=szef)
    client_a.login_as(pracownik)

    assert client_a.get(f"/contracts/{contract.pk}/").status_code == 200
    for url in _urls(contract)[1:]:
        assert client_a.get(url).status_code == 403, url
    with schema_context(company_a.schema_name):
        assert Contract.objects.filter(pk=contract.pk).exists()


def test_a_restricted_pracownik_sees_only_his_own_contracts(client_a, restricted_pracownik, szef, company_a):
    with schema_context(company_a.schema_name):
        colleagues = contract_make(actor=szef, subject="Umowa Szefa")
        own = contract_make(
            actor=restricted_pracownik,
            subject="Moja umowa",
            customer=CustomerFactory(owner=restricted_pracownik),
        )
    client_a.login_as(restricted_pracownik)

    listed = client_a.get("/contracts/").content.decode()

    assert "Moja umowa" in listed and "Umowa Szefa" not in listed
    assert client_a.get(f"/contracts/{own.pk}/").status_code == 200
    assert client_a.get(f"/contracts/{colleagues.pk}/").status_code == 404


def test_a_signed_contract_shows_the_signature_and_keeps_its_content(client_a, szef, company_a, sent_contract):
    contract = sent_contract()
    client_a.post(f"/c/{contract.public_token}/sign/", {"name": "Jan Kowalski", "confirm": "on"})
    client_a.login_as(szef)

    card = client_a.get(f"/contracts/{contract.pk}/").content.decode()
    with schema_context(company_a.schema_name):
        renewal = contract_renew(contract=contract, actor=szef, start_date=contract.end_date, end_date=None)

    assert 'data-testid="contract-signature"' in card and "Jan Kowalski" in card
    assert renewal.renewed_from_id == contract.pk
