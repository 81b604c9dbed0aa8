"""The catalogue pages: the list with its search, adding, changing and withdrawing
(Szef and Kierownik), a Pracownik's read-only view, and the picker of document lines."""

from __future__ import annotations

from decimal import Decimal

from django_tenants.utils import schema_context

from crm.catalog.models import Product
from tests.crm.catalog.factories import ProductFactory


def test_the_list_finds_products_by_name_and_hides_withdrawn_ones(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        ProductFactory(name="Serwis drukarek")
        ProductFactory(name="Wymiana tonera")
        ProductFactory(name="Stary serwis", active=False)
    client_a.login_as(szef)

    page = client_a.get("/products/", {"q": "serwis"}).content.decode()
    withdrawn = client_a.get("/products/", {"show": "inactive"}).content.decode()

    assert "Serwis drukarek" in page and "Wymiana tonera" not in page and "Stary serwis" not in page
    assert "Stary serwis" in withdrawn and "Serwis drukarek" not in withdrawn


def test_szef_adds_a_product_with_a_form(client_a, szef, company_a):
    response = client_a.login_as(szef).post(
        "/products/new/",
        {"name": "Konsultacja", "net_price": "300", "currency": "PLN", "vat_rate": "23", "unit": "godz."},
    )

    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        assert Product.objects.get(name="Konsultacja").net_price == Decimal("300.00")


def test_a_form_with_errors_says_what_to_fix(client_a, kierownik, company_a):
    response = client_a.login_as(kierownik).post(
        "/products/new/", {"name": "", "net_price": "-1", "currency": "PLN", "vat_rate": "23", "unit": "szt."}
    )

    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not Product.objects.exists()


def test_kierownik_withdraws_and_restores_a_product(client_a, kierownik, company_a):
    with schema_context(company_a.schema_name):
        product = ProductFactory()
    client_a.login_as(kierownik)

    client_a.post(f"/products/{product.pk}/active/", {"active": "0"})
    with schema_context(company_a.schema_name):
        assert not Product.objects.get(pk=product.pk).active
    client_a.post(f"/products/{product.pk}/active/", {"active": "1"})
    with schema_context(company_a.schema_name):
        assert Product.objects.get(pk=product.pk).active


def test_a_pracownik_sees_a_product_but_cannot_add_change_or_withdraw(client_a, pracownik, company_a):
    with schema_context(company_a.schema_name):
        product = ProductFactory(name="Audyt IT")
    client_a.login_as(pracownik)

    card = client_a.get(f"/products/{product.pk}/")
    assert card.status_code == 200
    assert "Audyt IT" in card.content.decode() and "product-form" not in card.content.decode()
    assert client_a.get("/products/new/").status_code == 403
    assert client_a.post(f"/products/{product.pk}/", {"name": "Zmiana", "net_price": "1"}).status_code == 403
    assert client_a.post(f"/products/{product.pk}/active/", {"active": "0"}).status_code == 403
    with schema_context(company_a.schema_name):
        assert Product.objects.get(pk=product.pk).active


def test_the_picker_offers_active_products_with_their_price_and_rate(client_a, pracownik, company_a):
    with schema_context(company_a.schema_name):
        product = ProductFactory(name="Licencja roczna", net_price=Decimal("999.99"), vat_rate="23", unit="szt.")
        ProductFactory(name="Licencja stara", active=False)

    html = client_a.login_as(pracownik).get("/products/picker/", {"q": "licencja"}).content.decode()

    assert f'data-id="{product.pk}"' in html and 'data-price="999.99"' in html and 'data-vat="23"' in html
    assert "Licencja stara" not in html


def test_another_companys_product_pages_are_not_found(client_b, outsider, company_a):
    with schema_context(company_a.schema_name):
        product = ProductFactory()
    client_b.login_as(outsider)

    assert client_b.get(f"/products/{product.pk}/").status_code == 404
    assert client_b.post(f"/products/{product.pk}/active/", {"active": "0"}).status_code == 404
