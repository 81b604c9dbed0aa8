"""Custom fields in the customers' CSV/XLSX export (a column per field) and import
(mapped like any column, checked by type, merged into the stored values on update)."""

from __future__ import annotations

import csv
import io

import pytest
from django_tenants.utils import schema_context

from crm.contacts.imports import import_prepare, import_run
from crm.contacts.models import Customer, ImportStatus
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.contacts.test_import import upload
from tests.crm.customfields.helpers import field_make

pytestmark = pytest.mark.django_db


def _rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _import(company, user, content, **changes):
    with schema_context(company.schema_name):
        job = import_prepare(upload=upload(content), user=user)
        for key, value in changes.items():
            setattr(job, key, value)
        job.status = ImportStatus.QUEUED
        job.save()
        return job, import_run(job.pk)


def test_the_csv_export_has_a_column_per_custom_field(client_a, szef, in_a):
    with in_a():
        field_make(name="Branża", type="select", options=["IT", "Handel"])
        field_make(name="Partner", type="checkbox")
        field_make(name="Obszary", type="multi_select", options=["A", "B"])
        CustomerFactory(name="Alfa", custom_fields={"branza": "IT", "partner": True, "obszary": ["A", "B"]})

    rows = _rows(client_a.login_as(szef).get("/customers/export/", {"format": "csv"}))

    assert rows[0][-3:] == ["Branża", "Partner", "Obszary"]
    assert rows[1][-3:] == ["IT", "tak", "A, B"]


def test_the_import_maps_custom_fields_by_name_and_checks_their_values(company_a, szef, in_a):
    with in_a():
        field_make(name="Branża", type="select", options=["IT", "Handel"])
        field_make(name="Pracownicy", type="number")
    content = "Nazwa;Branża;Pracownicy\nAlfa;it;120\nBeta;Rolnictwo;5\nGamma;Handel;dużo\n"

    job, done = _import(company_a, szef, content)

    assert job.mapping == {"name": 0, "cf_branza": 1, "cf_pracownicy": 2}
    assert (done.created_count, done.error_count) == (1, 2)
    with in_a():
        alfa = Customer.objects.get(name="Alfa")
        assert alfa.custom_fields == {"branza": "IT", "pracownicy": 120}
        assert not Customer.objects.filter(name__in=["Beta", "Gamma"]).exists()
    messages = " ".join(m for entry in done.errors for m in entry.get("messages", []))
    assert "Branża" in messages and "Pracownicy" in messages


def test_an_import_update_writes_the_files_custom_values_over_the_stored_ones(company_a, szef, in_a):
    with in_a():
        field_make(name="Branża")
        field_make(name="Region")
        customer = CustomerFactory(name="Alfa", email="alfa@x.pl", custom_fields={"branza": "IT", "region": "Pomorze"})
    content = "Nazwa;E-mail;Region\nAlfa;alfa@x.pl;Mazowsze\n"

    _job, done = _import(company_a, szef, content, duplicate_mode="update")

    assert done.updated_count == 1
    with in_a():
        customer.refresh_from_db()
    assert customer.custom_fields == {"branza": "IT", "region": "Mazowsze"}
    assert "mazowsze" in customer.search_text
