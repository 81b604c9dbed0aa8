"""The shared export writer: formula cells become text, numbers stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from crm.common.exports import cell_safe, csv_lines, csv_response, csv_text, xlsx_bytes
from crm.contacts.models import Customer
from tenants.db import connection
from tests.crm.contacts.factories import CustomerFactory

FORMULAS = ["=1+1", "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\r=1", "-A1", "+A1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert cell_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["+48 600 100 200", "-12.50", "-12,50", "+48 (22) 600-100-200", "-1.5e+10", "", "a=1"])
def test_numbers_phone_numbers_and_ordinary_text_stay_as_they_are(text):
    assert cell_safe(text) == text


def test_numbers_stay_numbers_in_csv_and_are_never_prefixed():
    text = csv_text(header=["a", "b", "c", "d"], rows=[[-5, Decimal("-1.50"), None, "=x"]], bom=False)
    assert text.splitlines() == ["a;b;c;d", "-5;-1.50;;'=x"]


def test_csv_text_starts_with_a_bom_for_excel():
    assert csv_text(header=["Nazwa"], rows=[]).startswith("\ufeffNazwa")


def test_archive_mode_keeps_null_apart_from_empty_text():
    lines = list(csv_lines(header=["a", "b", "c"], rows=[[None, "", "=1"]], delimiter=",", bom=False, nulls=True))
    assert lines[1] == ',"","\'=1"\r\n'
    assert list(csv.reader(io.StringIO(lines[1]))) == [["", "", "'=1"]]


def test_xlsx_cells_keep_their_types_and_formulas_are_text():
    moment = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
    data = xlsx_bytes(
        sheet_title="Klienci: [test]",
        header=[gettext_lazy("Nazwa"), "Kwota", "Kiedy", "Dzień"],
        rows=[['=HYPERLINK("http://zly")', Decimal("-5.25"), moment, date(2025, 3, 10)], ["ok\x01\x1f", 7, None, None]],
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Klienci test"
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == '\'=HYPERLINK("http://zly")'
    assert sheet["B2"].value == -5.25
    assert isinstance(sheet["C2"].value, datetime)
    assert sheet["A3"].value == "ok"  # control characters XLSX cannot hold are dropped, not a 500
    assert sheet["B3"].value == 7
    assert sheet["A1"].font.bold


@pytest.mark.django_db
def test_a_streamed_csv_reads_its_rows_in_the_company_and_language_of_the_request(company_a):
    def rows():
        for name in ("=Pierwszy", "Drugi"):  # each row queries the company's table as it streams
            customer = Customer.objects.get(name=name)
            yield [customer.name, customer.get_kind_display()]

    with schema_context(company_a.schema_name):
        CustomerFactory(name="=Pierwszy")
        CustomerFactory(name="Drugi")
        with translation.override("en"):
            response = csv_response(filename="klienci.csv", header=[gettext_lazy("Nazwa"), "Rodzaj"], rows=rows())
    connection.set_schema_to_public()  # as after the view returned
    with translation.override("pl"):
        text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Disposition"] == 'attachment; filename="klienci.csv"'
    assert text.splitlines() == ["Name;Rodzaj", "'=Pierwszy;Company", "Drugi;Company"]
