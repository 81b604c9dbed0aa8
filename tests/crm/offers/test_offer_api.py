"""/api/v1/offers/: the contract fields, nested lines and the totals per VAT rate,
validation in Polish, only a draft changes, ranks, another company's offer is a 404."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.offers.models import Offer, OfferStatus
from tests.crm.catalog.factories import ProductFactory
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.offers.factories import offer_make
from tests.crm.sales.helpers import deal_make

CONTRACT_FIELDS = {
    "id",
    "number",
    "customer",
    "deal",
    "status",
    "issue_date",
    "valid_until",
    "currency",
    "lines",
    "net_total",
    "vat_total",
    "gross_total",
}
LINE_FIELDS = {"name", "product", "quantity", "unit", "net_price", "vat_rate", "discount_percent"}


def _post(client, body):
    return client.post("/api/v1/offers/", body, content_type="application/json")


def test_creating_an_offer_with_lines_computes_the_totals_per_vat_rate(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory()
        product = ProductFactory(name="Licencja", net_price=Decimal("49.99"), vat_rate="23", unit="szt.")

    response = _post(
        api_szef,
        {
            "customer": customer.pk,
            "title": "Oferta na licencje",
            "lines": [
                {"name": "Licencja", "product": product.pk, "quantity": "3", "net_price": "49.99"},
                {"name": "Szkolenie", "quantity": "1.5", "unit": "godz.", "net_price": "200", "vat_rate": "8",
                 "discount_percent": "10"},
                {"name": "Dokumentacja", "net_price": "100", "vat_rate": "zw"},
            ],
        },
    )  # fmt: skip

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= CONTRACT_FIELDS
    assert (body["status"], body["number"], body["currency"]) == ("draft", "", "PLN")
    # 3 x 49.99 = 149.97 at 23% (VAT 34.49); 1.5 x 200 - 10% = 270.00 at 8% (VAT 21.60); 100.00 zw
    assert (body["net_total"], body["vat_total"], body["gross_total"]) == ("519.97", "56.09", "576.06")
    assert [line["name"] for line in body["lines"]] == ["Licencja", "Szkolenie", "Dokumentacja"]
    assert set(body["lines"][0]) >= LINE_FIELDS
    assert body["lines"][0]["unit"] == "szt."  # taken from the product
    assert body["lines"][1]["net_value"] == "270.00"
    assert body["valid_until"] == (timezone.localdate() + timedelta(days=30)).isoformat()
    with schema_context(company_a.schema_name):
        offer = Offer.objects.get(pk=body["id"])
        assert offer.owner == szef and offer.created_by == szef
        assert ActivityEntry.objects.filter(code="offer.created", object_id=str(offer.pk)).exists()


def test_patching_the_lines_replaces_them_all_and_recomputes_the_totals(company_a, api_szef):
    with schema_context(company_a.schema_name):
        offer = offer_make()

    response = api_szef.patch(
        f"/api/v1/offers/{offer.pk}/",
        {"lines": [{"name": "Jedna pozycja", "quantity": "2", "net_price": "10.00", "vat_rate": "5"}]},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert [line["name"] for line in body["lines"]] == ["Jedna pozycja"]
    assert (body["net_total"], body["vat_total"], body["gross_total"]) == ("20.00", "1.00", "21.00")


def test_bad_input_gets_polish_messages_at_the_fields_and_nothing_is_saved(company_a, api_szef):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory()
        other_deal = deal_make()

    response = _post(
        api_szef,
        {
            "customer": customer.pk,
            "deal": other_deal.pk,
            "issue_date": "2026-05-10",
            "valid_until": "2026-05-01",
            "currency": "zl",
            "lines": [{"name": "", "quantity": "0", "net_price": "-1", "vat_rate": "22"}],
        },
    )

    assert response.status_code == 400
    errors = response.json()
    assert "currency" in errors and "lines" in errors
    line_errors = errors["lines"]["0"]
    assert {"name", "quantity", "net_price", "vat_rate"} <= set(line_errors)
    assert "trzech wielkich liter" in errors["currency"][0]
    assert line_errors["quantity"] == ["Ilość musi być większa od zera."]
    with schema_context(company_a.schema_name):
        assert not Offer.objects.exists()


def test_rules_across_fields_are_checked_by_the_service_in_polish(company_a, api_szef):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory()
        other_deal = deal_make()

    response = _post(
        api_szef,
        {"customer": customer.pk, "deal": other_deal.pk, "issue_date": "2026-05-10", "valid_until": "2026-05-01"},
    )

    assert response.status_code == 400
    errors = response.json()
    assert "należy do innego klienta" in errors["deal"][0]
    assert "wcześniejszy niż data wystawienia" in errors["valid_until"][0]


def test_an_offer_from_a_deal_takes_the_deals_currency(company_a, api_szef):
    with schema_context(company_a.schema_name):
        deal = deal_make(currency="EUR")

    response = _post(api_szef, {"customer": deal.customer_id, "deal": deal.pk})

    assert response.status_code == 201, response.content
    assert response.json()["currency"] == "EUR"


def test_a_sent_offer_cannot_be_changed_or_deleted(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        offer = offer_make(actor=szef)
        Offer.objects.filter(pk=offer.pk).update(status=OfferStatus.SENT, number="OF/2026/1")

    patched = api_szef.patch(f"/api/v1/offers/{offer.pk}/", {"title": "Zmiana"}, content_type="application/json")
    deleted = api_szef.delete(f"/api/v1/offers/{offer.pk}/")

    assert patched.status_code == 400
    assert "została już wysłana" in str(patched.json())
    assert deleted.status_code == 400
    with schema_context(company_a.schema_name):
        assert Offer.objects.get(pk=offer.pk).title == ""


def test_a_draft_is_deleted(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        offer = offer_make(actor=szef)

    assert api_szef.delete(f"/api/v1/offers/{offer.pk}/").status_code == 204
    with schema_context(company_a.schema_name):
        assert not Offer.objects.filter(pk=offer.pk).exists()


def test_sending_through_the_api_numbers_the_offer_and_mails_the_customer(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        offer = offer_make(actor=szef)

    response = api_szef.post(f"/api/v1/offers/{offer.pk}/send/", {}, content_type="application/json")

    assert response.status_code == 200, response.content
    body = response.json()
    year = timezone.localdate().year
    assert (body["status"], body["number"]) == ("sent", f"OF/{year}/1")
    with schema_context(company_a.schema_name):
        token = Offer.objects.get(pk=offer.pk).public_token
    assert body["public_url"] == f"http://alfa.imcrm.localhost/o/{token}/" or body["public_url"].endswith(
        f"/o/{token}/"
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zakupy@klient.test"]
    assert f"OF/{year}/1" in message.subject
    assert body["public_url"] in message.body


def test_numbers_follow_the_company_pattern(company_a, szef, api_szef, company_settings_a):
    company_settings_a(offer_number_pattern="OF/{YYYY}/{MM}/{NR}", number_reset="monthly")
    with schema_context(company_a.schema_name):
        first, second = offer_make(actor=szef), offer_make(actor=szef)

    numbers = [
        api_szef.post(f"/api/v1/offers/{o.pk}/send/", {}, content_type="application/json").json()["number"]
        for o in (first, second)
    ]

    today = timezone.localdate()
    prefix = f"OF/{today.year}/{today.month:02d}"
    assert numbers == [f"{prefix}/1", f"{prefix}/2"]


def test_sending_without_lines_is_refused(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        offer = offer_make(actor=szef, lines=[])

    response = api_szef.post(f"/api/v1/offers/{offer.pk}/send/", {"to": ["a@b.pl"]}, content_type="application/json")

    assert response.status_code == 400
    assert "co najmniej jedną pozycję" in str(response.json())
    assert mail.outbox == []


def test_a_pracownik_drafts_and_sends_his_own_offers_but_not_a_colleagues(company_a, szef, pracownik, api_pracownik):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory()
        colleagues = offer_make(actor=szef)

    created = _post(api_pracownik, {"customer": customer.pk, "lines": [{"name": "Usługa", "net_price": "10"}]})
    assert created.status_code == 201
    own = created.json()["id"]
    assert (
        api_pracownik.post(
            f"/api/v1/offers/{own}/send/", {"to": ["k@klient.test"]}, content_type="application/json"
        ).status_code
        == 200
    )
    # he sees a colleague's offer (not restricted) but may not change or send it
    assert api_pracownik.get(f"/api/v1/offers/{colleagues.pk}/").status_code == 200
    assert (
        api_pracownik.patch(
            f"/api/v1/offers/{colleagues.pk}/", {"title": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        api_pracownik.post(
            f"/api/v1/offers/{colleagues.pk}/send/", {"to": ["k@klient.test"]}, content_type="application/json"
        ).status_code
        == 403
    )


def test_kierownik_changes_anyones_offer(company_a, pracownik, api_kierownik):
    with schema_context(company_a.schema_name):
        offer = offer_make(actor=pracownik)

    response = api_kierownik.patch(
        f"/api/v1/offers/{offer.pk}/", {"title": "Po poprawkach"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["title"] == "Po poprawkach"


def test_a_restricted_pracownik_sees_only_his_offers_and_drafts_only_for_his_customers(
    company_a, szef, restricted_pracownik, api_restricted_pracownik
):
    with schema_context(company_a.schema_name):
        his_customer = CustomerFactory(owner=restricted_pracownik)
        other_customer = CustomerFactory(owner=szef)
        colleagues = offer_make(actor=szef, customer=other_customer)

    listed = api_restricted_pracownik.get("/api/v1/offers/").json()["results"]
    refused = _post(api_restricted_pracownik, {"customer": other_customer.pk})
    created = _post(api_restricted_pracownik, {"customer": his_customer.pk})

    assert colleagues.pk not in [row["id"] for row in listed]
    assert api_restricted_pracownik.get(f"/api/v1/offers/{colleagues.pk}/").status_code == 404
    assert refused.status_code == 400 and "customer" in refused.json()
    assert created.status_code == 201
    assert created.json()["owner"] == restricted_pracownik.pk


@pytest.mark.parametrize(("method", "suffix"), [("get", ""), ("patch", ""), ("delete", ""), ("post", "send/")])
def test_another_companys_offer_is_not_found(method, suffix, company_a, api_outsider):
    with schema_context(company_a.schema_name):
        offer = offer_make()

    response = getattr(api_outsider, method)(f"/api/v1/offers/{offer.pk}/{suffix}", {}, content_type="application/json")

    assert response.status_code == 404
    with schema_context(company_a.schema_name):
        assert Offer.objects.get(pk=offer.pk).status == OfferStatus.DRAFT


def test_the_list_filters_by_status_and_customer(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        first, second = offer_make(actor=szef), offer_make(actor=szef)
        Offer.objects.filter(pk=second.pk).update(status=OfferStatus.ACCEPTED)

    by_status = api_szef.get("/api/v1/offers/", {"status": "accepted"}).json()["results"]
    by_customer = api_szef.get("/api/v1/offers/", {"customer": first.customer_id}).json()["results"]

    assert [row["id"] for row in by_status] == [second.pk]
    assert [row["id"] for row in by_customer] == [first.pk]
    assert api_szef.get("/api/v1/offers/", {"status": "nope"}).status_code == 400
