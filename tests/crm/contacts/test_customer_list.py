from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from crm.categories.models import ContactGroup, ContactSource, CustomerStatus, CustomerType
from tests.crm.contacts.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def names(response):
    html = response.content.decode()
    return html


def test_search_ignores_case_and_polish_letters(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        CustomerFactory(owner=szef, name="Zakład Łódź Bałuty")
        CustomerFactory(owner=szef, name="Gdańsk Port")
    client_a.login_as(szef)
    for query in ("lodz", "ŁÓDŹ", "zaklad lodz", "BAŁUTY"):
        html = client_a.get("/customers/", {"q": query}).content.decode()
        assert "Zakład Łódź Bałuty" in html, query
        assert "Gdańsk Port" not in html, query


def test_search_finds_email_phone_and_nip(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        CustomerFactory(
            owner=szef, name="Po e-mailu", email="szukany@przyklad.pl", phone="+48 600 100 200", tax_id="5260001246"
        )
        CustomerFactory(owner=szef, name="Inny")
    client_a.login_as(szef)
    for query in ("SZUKANY@przyklad", "600-100-200", "600100200", "526-000-12-46", "5260001246"):
        html = client_a.get("/customers/", {"q": query}).content.decode()
        assert "Po e-mailu" in html, query
        assert ">Inny<" not in html, query


def test_filters_live_in_the_url_and_combine(client_a, szef, pracownik, company_a):
    with schema_context(company_a.schema_name):
        vip = ContactGroup.objects.get(name="Klient VIP")
        fair = ContactSource.objects.get(name="Targi")
        new = CustomerStatus.objects.get(name="Nowy")
        partner = CustomerType.objects.get(name="Partner")
        CustomerFactory(
            owner=pracownik,
            name="Pasuje Wszędzie",
            groups=[vip],
            source=fair,
            status=new,
            type=partner,
            tags=["eksport"],
        )
        CustomerFactory(owner=pracownik, name="Inna Grupa", source=fair, status=new, type=partner, tags=["eksport"])
        CustomerFactory(
            owner=szef, name="Inny Opiekun", groups=[vip], source=fair, status=new, type=partner, tags=["eksport"]
        )
        CustomerFactory(owner=pracownik, name="Bez Tagu", groups=[vip], source=fair, status=new, type=partner)
    client_a.login_as(szef)
    params = {
        "group": vip.pk,
        "source": fair.pk,
        "owner": pracownik.pk,
        "status": new.pk,
        "type": partner.pk,
        "tag": "eksport",
    }
    html = client_a.get("/customers/", params).content.decode()
    assert "Pasuje Wszędzie" in html
    for other in ("Inna Grupa", "Inny Opiekun", "Bez Tagu"):
        assert other not in html
    assert "1 klient" in html
    # the export links keep the filters
    assert f"group={vip.pk}" in html and "format=csv" in html


def test_kind_filter_and_sorting(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        CustomerFactory(owner=szef, name="Adam Osoba", kind="person")
        CustomerFactory(owner=szef, name="Zenon Firma")
        CustomerFactory(owner=szef, name="Beata Firma")
    client_a.login_as(szef)
    html = client_a.get("/customers/", {"kind": "company", "sort": "-name"}).content.decode()
    assert "Adam Osoba" not in html
    assert html.index("Zenon Firma") < html.index("Beata Firma")


def test_bad_filter_values_are_ignored_not_errors(client_a, szef, company_a):
    client_a.login_as(szef)
    response = client_a.get(
        "/customers/", {"group": "x", "owner": "-1", "sort": "DROP TABLE", "page": "zz", "per_page": "9999"}
    )
    assert response.status_code == 200


def test_pagination_keeps_the_filters(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        for i in range(30):
            CustomerFactory(owner=szef, name=f"Stronicowany {i:02d}", tags=["stron"])
    client_a.login_as(szef)
    html = client_a.get("/customers/", {"tag": "stron"}).content.decode()
    assert "Strona 1 z 2" in html
    assert "tag=stron&amp;page=2" in html
    page2 = client_a.get("/customers/", {"tag": "stron", "page": 2}).content.decode()
    assert "Stronicowany 29" in page2


def test_htmx_filter_request_returns_only_the_results(client_a, szef, company_a):
    client_a.login_as(szef)
    response = client_a.get("/customers/", {"q": "x"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="customer-results")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()


def test_list_query_count_does_not_depend_on_the_number_of_customers(
    client_a, szef, company_a, django_assert_max_num_queries
):
    with schema_context(company_a.schema_name):
        groups = list(ContactGroup.objects.all())
        status = CustomerStatus.objects.first()

    def add(count):
        with schema_context(company_a.schema_name):
            for i in range(count):
                CustomerFactory(owner=szef, groups=groups, status=status, name=f"Klient {i}")

    client_a.login_as(szef)
    client_a.get("/customers/")  # warm the per-process host cache
    add(5)
    with django_assert_max_num_queries(30) as few:
        client_a.get("/customers/", {"per_page": 100})
    with django_assert_max_num_queries(30) as few_searched:
        client_a.get("/customers/", {"q": "klient", "group": groups[0].pk})
    add(60)
    with django_assert_max_num_queries(30) as many:
        client_a.get("/customers/", {"per_page": 100})
    with django_assert_max_num_queries(30) as many_searched:
        client_a.get("/customers/", {"q": "klient", "group": groups[0].pk})
    assert len(many) == len(few)
    assert len(many_searched) == len(few_searched)
