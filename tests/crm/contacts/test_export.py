from __future__ import annotations

import csv
import io

import pytest
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from crm.categories.models import ContactGroup
from tests.crm.contacts.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(company_a, szef):
    with schema_context(company_a.schema_name):
        vip = ContactGroup.objects.get(name="Klient VIP")
        CustomerFactory(
            owner=szef,
            name="Żabka Łódź",
            tax_id="5260001246",
            email="zabka@x.pl",
            phone="+48 600 100 200",
            groups=[vip],
            tags=["hurt"],
        )
        CustomerFactory(owner=szef, name='=HYPERLINK("http://zly")', email="formula@x.pl")
        CustomerFactory(owner=szef, name="Poza Filtrem", email="poza@x.pl")
    return vip


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def test_csv_export_contains_the_filtered_list_with_polish_letters(client_a, szef, data):
    response = client_a.login_as(szef).get("/customers/export/", {"format": "csv", "group": data.pk})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][:3] == ["ID", "Rodzaj", "Nazwa"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Nazwa"] == "Żabka Łódź"
    assert row["NIP"] == "5260001246"
    assert row["Telefon"] == "+48 600 100 200"
    assert row["Grupy"] == "Klient VIP"
    assert row["Tagi"] == "hurt"
    assert row["Opiekun"] == "Anna Szef"


def test_csv_export_search_and_formula_cells_are_neutralised(client_a, szef, data):
    rows = csv_rows(client_a.login_as(szef).get("/customers/export/", {"format": "csv", "q": "formula"}))
    assert len(rows) == 2
    assert rows[1][2].startswith("'=")


def test_xlsx_export_has_the_same_rows(client_a, szef, data):
    response = client_a.login_as(szef).get("/customers/export/", {"format": "xlsx", "sort": "-name"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert rows[0][2] == "Nazwa"
    assert [r[2] for r in rows[1:]] == ["Żabka Łódź", "Poza Filtrem", '\'=HYPERLINK("http://zly")']
    assert len(rows) == 4


def test_export_headers_follow_the_users_language(client_a, szef, data):
    client_a.login_as(szef)
    client_a.cookies["django_language"] = "en"
    rows = csv_rows(client_a.get("/customers/export/", {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="en"))
    assert rows[0][2] == "Name"
    assert rows[0][5] == "Phone"
