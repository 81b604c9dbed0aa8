"""The offer pages: the form with its lines, "Utwórz ofertę" from a deal, the card, the
customer's "Oferty" tab and the deal's offers, sending, deleting a draft, the deal's value
from an accepted offer; ranks and another company's offers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from crm.offers.models import Offer, OfferStatus
from crm.sales.models import Deal
from crm.trash.models import TrashEntry
from crm.trash.services import trash_restore
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.offers.factories import offer_make
from tests.crm.sales.helpers import deal_make


def _form(customer_id: int, lines: list[dict[str, str]], **extra: str) -> dict[str, str]:
    data = {
        "customer": str(customer_id),
        "issue_date": "2026-12-01",
        "valid_until": "2026-12-31",
        "currency": "PLN",
        "language": "pl",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        **extra,
    }
    for n, line in enumerate(lines):
        for key, value in line.items():
            data[f"lines-{n}-{key}"] = value
    return data


LINE = {"name": "Wdrożenie", "quantity": "2", "unit": "usł.", "net_price": "500.00", "vat_rate": "23"}


def test_a_new_offer_is_saved_with_its_lines_and_totals(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory()
    removed = {**LINE, "name": "Usunięta", "DELETE": "on"}

    response = client_a.login_as(szef).post(
        "/offers/new/", _form(customer.pk, [LINE, removed, {**LINE, "name": "Szkolenie", "vat_rate": "8"}])
    )

    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        offer = Offer.objects.get(customer=customer)
        assert [line.name for line in offer.lines.all()] == ["Wdrożenie", "Szkolenie"]
        assert (offer.net_total, offer.vat_total, offer.gross_total) == (
            Decimal("2000.00"),
            Decimal("310.00"),
            Decimal("2310.00"),
        )
    card = client_a.get(response["Location"]).content.decode()
    assert "Szkic oferty" in card and "2\xa0310,00 PLN" in card


def test_a_line_with_errors_is_shown_again_with_the_messages(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory()

    response = client_a.login_as(szef).post(
        "/offers/new/", _form(customer.pk, [{**LINE, "name": "", "quantity": "0"}], valid_until="2026-11-01")
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "To pole jest wymagane." in page
    with schema_context(company_a.schema_name):
        assert not Offer.objects.exists()


def test_create_offer_from_a_deal_prefills_the_customer_the_deal_and_its_value(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(name="Dostawa laptopów", value=Decimal("12500.00"), owner=szef)
    client_a.login_as(szef)

    deal_card = client_a.get(f"/deals/{deal.pk}/").content.decode()
    form = client_a.get(f"/offers/new/?deal={deal.pk}").content.decode()

    assert f"/offers/new/?deal={deal.pk}" in deal_card
    assert f'<option value="{deal.customer_id}" selected>' in form
    assert f'<option value="{deal.pk}" selected>' in form
    assert 'value="Dostawa laptopów"' in form and 'value="12500.00"' in form


def test_the_customer_card_has_an_offers_tab_and_the_deal_card_lists_its_offers(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)
        offer = offer_make(actor=szef, customer=deal.customer, deal=deal, title="Oferta na wdrożenie")
    client_a.login_as(szef)

    tab = client_a.get(f"/customers/{deal.customer_id}/?tab=offers").content.decode()
    deal_card = client_a.get(f"/deals/{deal.pk}/").content.decode()

    assert "Oferta na wdrożenie" in tab and f"/offers/{offer.pk}/" in tab
    assert f"/offers/{offer.pk}/" in deal_card


def test_sending_from_the_card_numbers_the_offer_and_mails_the_customer(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        offer = offer_make(actor=szef)
    client_a.login_as(szef)

    form = client_a.get(f"/offers/{offer.pk}/send/").content.decode()
    response = client_a.post(f"/offers/{offer.pk}/send/", {"to": "zakupy@klient.test", "message": ""})

    assert 'value="zakupy@klient.test"' in form
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        stored = Offer.objects.get(pk=offer.pk)
    assert stored.status == OfferStatus.SENT and stored.number
    assert mail.outbox[-1].to == ["zakupy@klient.test"]
    card = client_a.get(f"/offers/{offer.pk}/").content.decode()
    assert f"/o/{stored.public_token}/" in card
    assert f"/offers/{offer.pk}/edit/" not in card  # a sent offer is not edited
    assert client_a.get(f"/offers/{offer.pk}/edit/").status_code == 302


def test_a_draft_is_edited_and_deleted_but_a_sent_one_is_not_deleted(client_a, szef, company_a, sent_offer):
    with schema_context(company_a.schema_name):
        draft = offer_make(actor=szef)
    sent = sent_offer()
    client_a.login_as(szef)

    edit = client_a.get(f"/offers/{draft.pk}/edit/")
    assert edit.status_code == 200 and "Wdrożenie systemu" in edit.content.decode()
    assert client_a.post(f"/offers/{draft.pk}/delete/").status_code == 302
    assert client_a.post(f"/offers/{sent.pk}/delete/").status_code == 302
    with schema_context(company_a.schema_name):
        assert not Offer.objects.filter(pk=draft.pk).exists()
        assert Offer.objects.filter(pk=sent.pk).exists()


def test_an_accepted_offer_sets_its_deals_value_in_one_click(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef, value=Decimal("1.00"))
        offer = offer_make(actor=szef, customer=deal.customer, deal=deal)
        Offer.objects.filter(pk=offer.pk).update(status=OfferStatus.ACCEPTED, number="OF/2026/9")
    client_a.login_as(szef)

    card = client_a.get(f"/offers/{offer.pk}/").content.decode()
    response = client_a.post(f"/offers/{offer.pk}/deal-value/")

    assert "offer-deal-value" in card
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        assert Deal.objects.get(pk=deal.pk).value == Decimal("1300.00")


def test_the_deal_value_is_not_set_from_an_offer_that_is_not_accepted(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef, value=Decimal("1.00"))
        offer = offer_make(actor=szef, customer=deal.customer, deal=deal)

    client_a.login_as(szef).post(f"/offers/{offer.pk}/deal-value/")

    with schema_context(company_a.schema_name):
        assert Deal.objects.get(pk=deal.pk).value == Decimal("1.00")


def test_the_list_searches_by_number_title_and_customer(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        wanted = offer_make(actor=szef, customer=CustomerFactory(name="Żabka Polska"), title="Regały")
        offer_make(actor=szef, customer=CustomerFactory(name="Inna firma"), title="Krzesła")
    client_a.login_as(szef)

    page = client_a.get("/offers/", {"q": "zabka"}).content.decode()

    assert f"/offers/{wanted.pk}/" in page and "Krzesła" not in page


def test_a_pracownik_cannot_edit_send_or_delete_a_colleagues_offer(client_a, szef, pracownik, company_a):
    with schema_context(company_a.schema_name):
        offer = offer_make(actor=szef)
    client_a.login_as(pracownik)

    assert client_a.get(f"/offers/{offer.pk}/").status_code == 200
    assert client_a.get(f"/offers/{offer.pk}/edit/").status_code == 403
    assert client_a.post(f"/offers/{offer.pk}/send/", {"to": "a@b.pl"}).status_code == 403
    assert client_a.post(f"/offers/{offer.pk}/delete/").status_code == 403


def test_a_restricted_pracownik_does_not_see_a_colleagues_offer(client_a, szef, restricted_pracownik, company_a):
    with schema_context(company_a.schema_name):
        offer = offer_make(actor=szef, title="Tajna oferta")
    client_a.login_as(restricted_pracownik)

    assert client_a.get(f"/offers/{offer.pk}/").status_code == 404
    assert "Tajna oferta" not in client_a.get("/offers/").content.decode()


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", ""), ("get", "edit/"), ("post", "send/"), ("post", "delete/"), ("post", "deal-value/")],
)
def test_another_companys_offer_pages_are_not_found(method, path, client_b, outsider, company_a):
    with schema_context(company_a.schema_name):
        offer = offer_make()

    response = getattr(client_b.login_as(outsider), method)(f"/offers/{offer.pk}/{path}")

    assert response.status_code == 404


def test_another_companys_customer_or_deal_cannot_prefill_a_new_offer(client_b, outsider, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make()
    client_b.login_as(outsider)

    assert client_b.get(f"/offers/new/?deal={deal.pk}").status_code == 404
    assert client_b.get(f"/offers/new/?customer={deal.customer_id}").status_code == 404


def test_a_deleted_draft_goes_to_the_trash_and_comes_back_with_its_lines(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        draft = offer_make(actor=szef, title="Do kosza")
    client_a.login_as(szef).post(f"/offers/{draft.pk}/delete/")

    with schema_context(company_a.schema_name):
        entry = TrashEntry.objects.get(record_key="offer", object_pk=draft.pk)
        restored = trash_restore(entry=entry, actor=szef)
        assert restored.pk == draft.pk
        assert Offer.objects.get(pk=draft.pk).lines.count() == 2


def test_a_customer_with_offers_is_not_deleted_and_the_message_says_why(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        offer = offer_make(actor=szef)

    response = client_a.login_as(szef).post(f"/customers/{offer.customer_id}/delete/", follow=True)

    assert "oferty" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert Offer.objects.filter(pk=offer.pk).exists()
