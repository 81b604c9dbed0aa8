"""/api/v1/products/: the contract fields, everyone reads, Szef and Kierownik write,
errors in Polish, another company's product is a 404."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.catalog.models import Product
from tests.crm.catalog.factories import ProductFactory

CONTRACT_FIELDS = {"id", "name", "unit", "net_price", "vat_rate", "currency", "active", "gtu", "pkwiu"}


def test_list_gives_the_contract_fields_with_the_price_as_a_decimal_string(company_a, api_pracownik):
    with schema_context(company_a.schema_name):
        product = ProductFactory(name="Abonament serwisowy", net_price=Decimal("1200.50"), vat_rate="8", gtu="GTU_12")

    response = api_pracownik.get("/api/v1/products/")

    assert response.status_code == 200
    row = response.json()["results"][0]
    assert set(row) >= CONTRACT_FIELDS
    assert row["id"] == product.pk
    assert (row["net_price"], row["vat_rate"], row["currency"], row["active"]) == ("1200.50", "8", "PLN", True)
    assert row["gtu"] == "GTU_12"


@pytest.mark.parametrize("rank", ["api_szef", "api_kierownik"])
def test_szef_and_kierownik_add_products(rank, request, company_a):
    client = request.getfixturevalue(rank)
    response = client.post(
        "/api/v1/products/",
        {"name": "Szkolenie z obsługi", "net_price": "450.00", "unit": "godz.", "vat_rate": "zw"},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    with schema_context(company_a.schema_name):
        product = Product.objects.get(pk=response.json()["id"])
        assert (product.vat_rate, product.unit, product.net_price) == ("zw", "godz.", Decimal("450.00"))
        assert ActivityEntry.objects.filter(code="product.created", object_id=str(product.pk)).exists()


def test_a_pracownik_reads_but_cannot_add_or_change_products(company_a, api_pracownik):
    with schema_context(company_a.schema_name):
        product = ProductFactory()

    created = api_pracownik.post(
        "/api/v1/products/", {"name": "Nowy", "net_price": "1.00"}, content_type="application/json"
    )
    changed = api_pracownik.patch(f"/api/v1/products/{product.pk}/", {"active": False}, content_type="application/json")

    assert created.status_code == 403
    assert changed.status_code == 403
    assert "Szef albo Kierownik" in changed.json()["detail"]
    with schema_context(company_a.schema_name):
        assert Product.objects.count() == 1
        assert Product.objects.get(pk=product.pk).active


def test_bad_input_is_refused_field_by_field_in_polish_and_nothing_is_saved(company_a, api_szef):
    response = api_szef.post(
        "/api/v1/products/",
        {"name": " ", "net_price": "-5", "vat_rate": "22", "currency": "zł"},
        content_type="application/json",
    )

    assert response.status_code == 400
    errors = response.json()
    assert {"name", "net_price", "vat_rate", "currency"} <= set(errors)
    assert "trzech wielkich liter" in errors["currency"][0]
    with schema_context(company_a.schema_name):
        assert not Product.objects.exists()


def test_deactivating_keeps_the_product_but_takes_it_off_the_active_list(company_a, api_szef):
    with schema_context(company_a.schema_name):
        kept, withdrawn = ProductFactory(name="Aktywny"), ProductFactory(name="Wycofany")

    response = api_szef.patch(f"/api/v1/products/{withdrawn.pk}/", {"active": False}, content_type="application/json")

    assert response.status_code == 200
    active = [row["id"] for row in api_szef.get("/api/v1/products/?active=true").json()["results"]]
    every = [row["id"] for row in api_szef.get("/api/v1/products/").json()["results"]]
    assert active == [kept.pk]
    assert set(every) == {kept.pk, withdrawn.pk}
    with schema_context(company_a.schema_name):
        assert ActivityEntry.objects.filter(code="product.deactivated").exists()


def test_the_search_ignores_case_and_polish_letters(company_a, api_pracownik):
    with schema_context(company_a.schema_name):
        wanted = ProductFactory(name="Łączenie światłowodów")
        ProductFactory(name="Montaż szafy")

    found = api_pracownik.get("/api/v1/products/", {"search": "LACZENIE swiat"}).json()["results"]

    assert [row["id"] for row in found] == [wanted.pk]


def test_another_companys_product_is_not_found(company_a, api_outsider):
    with schema_context(company_a.schema_name):
        product = ProductFactory()

    assert api_outsider.get(f"/api/v1/products/{product.pk}/").status_code == 404
    assert (
        api_outsider.patch(
            f"/api/v1/products/{product.pk}/", {"name": "x"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_a_bad_active_filter_is_a_400(api_szef):
    assert api_szef.get("/api/v1/products/?active=maybe").status_code == 400
