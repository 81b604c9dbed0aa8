"""/api/v1/expenses/: the fields, the same rules as the pages, receipts by multipart,
filters, and who sees what."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT, encode_multipart
from django.utils import timezone

from crm.activity.models import ActivityEntry
from crm.expenses.models import Expense, ExpenseCategory
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.expenses.factories import ExpenseCategoryFactory, ExpenseFactory
from tests.crm.expenses.helpers import PDF, pdf_upload, png_upload

FIELDS = {
    "id",
    "name",
    "description",
    "category",
    "date",
    "amount",
    "vat_rate",
    "vat_amount",
    "gross_amount",
    "currency",
    "supplier",
    "supplier_tax_id",
    "payment_method",
    "reference_number",
    "customer",
    "billable",
    "invoiced",
    "receipt_url",
    "receipt_name",
    "owner",
    "created_by",
}


def _json(client, method, url, body):
    return getattr(client, method)(url, body, content_type="application/json")


def test_create_computes_vat_and_gross_and_makes_the_caller_the_owner(api_szef, szef, customer, in_a):
    with in_a():
        fuel = ExpenseCategory.objects.get(name="Paliwo i dojazdy")

    response = _json(
        api_szef,
        "post",
        "/api/v1/expenses/",
        {
            "name": "Tankowanie",
            "category": fuel.pk,
            "date": "2026-11-05",
            "amount": "200.00",
            "vat_rate": "23",
            "supplier": "Orlen S.A.",
            "supplier_tax_id": "PL 526-025-02-74",
            "customer": customer.pk,
            "billable": True,
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= FIELDS
    assert (body["amount"], body["vat_amount"], body["gross_amount"]) == ("200.00", "46.00", "246.00")
    assert body["owner"] == szef.pk and body["created_by"] == szef.pk
    assert body["supplier_tax_id"] == "5260250274" and body["currency"] == "PLN"
    assert body["billable"] is True and body["invoiced"] is None and body["receipt_url"] is None
    with in_a():
        entry = ActivityEntry.objects.get(code="expense.created")
        assert entry.object_id == str(body["id"]) and entry.user_id == szef.pk


def test_a_gross_amount_alone_gives_the_net(api_pracownik):
    response = _json(
        api_pracownik, "post", "/api/v1/expenses/", {"name": "Bilet", "gross_amount": "108.00", "vat_rate": "8"}
    )

    assert response.status_code == 201, response.content
    assert (response.json()["amount"], response.json()["vat_amount"]) == ("100.00", "8.00")
    assert response.json()["date"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"name": " ", "amount": "10"}, "name", "nie może być puste"),
        ({"name": "X"}, "amount", "Podaj kwotę netto albo brutto."),
        ({"name": "X", "amount": "10", "billable": True}, "billable", "Wydatek do refakturowania musi mieć klienta."),
        ({"name": "X", "amount": "10", "supplier_tax_id": "1234567890"}, "supplier_tax_id", "sumę kontrolną"),
        ({"name": "X", "amount": "10", "vat_rate": "zw", "vat_amount": "2"}, "vat_amount", "kwota VAT wynosi 0"),
        ({"name": "X", "amount": "10", "gross_amount": "20", "vat_amount": "1"}, "gross_amount", "nie jest sumą"),
        ({"name": "X", "amount": "10", "currency": "zł"}, "currency", "trzech wielkich liter"),
        ({"name": "X", "amount": "10", "date": "1850-01-01"}, "date", "1900"),
        ({"name": "X", "amount": "-5"}, "amount", ""),
    ],
)
def test_bad_input_is_a_400_in_polish_on_the_field_and_nothing_is_saved(api_szef, in_a, body, field, message):
    response = _json(api_szef, "post", "/api/v1/expenses/", body)

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert message in " ".join(response.json()[field])
    with in_a():
        assert not Expense.objects.exists()


def test_update_recomputes_the_vat_when_the_net_or_rate_changes(api_szef, in_a, szef):
    with in_a():
        expense = ExpenseFactory(owner=szef, created_by=szef)

    rate = _json(api_szef, "patch", f"/api/v1/expenses/{expense.pk}/", {"vat_rate": "8"})
    net = _json(api_szef, "patch", f"/api/v1/expenses/{expense.pk}/", {"amount": "50.00"})

    assert rate.status_code == 200 and rate.json()["vat_amount"] == "8.00"
    assert (net.json()["vat_amount"], net.json()["gross_amount"]) == ("4.00", "54.00")
    with in_a():
        entry = ActivityEntry.objects.filter(code="expense.updated").latest("id")
        assert "kwota netto: 100.00 → 50.00" in entry.message


def test_delete_through_the_api_is_logged(api_kierownik, in_a, pracownik):
    with in_a():
        expense = ExpenseFactory(owner=pracownik, created_by=pracownik)

    assert api_kierownik.delete(f"/api/v1/expenses/{expense.pk}/").status_code == 204
    with in_a():
        assert not Expense.objects.filter(pk=expense.pk).exists()
        assert ActivityEntry.objects.filter(code="expense.deleted", object_id=str(expense.pk)).exists()


# --- the receipt -----------------------------------------------------------------------


def test_a_receipt_is_uploaded_with_multipart_and_downloaded_only_through_the_api(api_szef, in_a, media):
    response = api_szef.post(
        "/api/v1/expenses/", {"name": "Papier", "amount": "10.00", "receipt": pdf_upload("C:\\skany\\faktura.pdf")}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["receipt_name"] == "faktura.pdf"  # the name without the folders it came from
    assert body["receipt_content_type"] == "application/pdf" and body["receipt_size"] == len(PDF)
    download = api_szef.get(body["receipt_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    with in_a():
        expense = Expense.objects.get(pk=body["id"])
        assert ActivityEntry.objects.filter(code="expense.receipt_added", object_id=str(expense.pk)).exists()
    stored = list(media.rglob("*.pdf"))
    assert len(stored) == 1 and stored[0].read_bytes() == PDF and stored[0].name != "faktura.pdf"


def _patch_multipart(client, url, data):
    return client.generic("PATCH", url, encode_multipart("B", data), content_type=f"{MULTIPART_CONTENT}; boundary=B")


def test_a_new_receipt_replaces_the_old_file_and_delete_removes_it(
    api_szef, in_a, szef, media, django_capture_on_commit_callbacks
):
    with in_a():
        expense = ExpenseFactory(owner=szef, created_by=szef)
    url = f"/api/v1/expenses/{expense.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        first = _patch_multipart(api_szef, url, {"receipt": pdf_upload()})
        second = _patch_multipart(api_szef, url, {"receipt": png_upload(), "name": "Skan"})

    assert first.status_code == 200 and second.status_code == 200, second.content
    assert second.json()["receipt_content_type"] == "image/png" and second.json()["name"] == "Skan"
    assert [p.suffix for p in media.rglob("*.*")] == [".png"]
    with django_capture_on_commit_callbacks(execute=True):
        assert api_szef.delete(f"{url}receipt/").status_code == 204
    assert not list(media.rglob("*.*"))
    assert api_szef.get(f"{url}receipt/").status_code == 404
    assert api_szef.get(url).json()["receipt_url"] is None


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notatki.txt", b"tekst", "text/plain"), "Ten rodzaj pliku jest niedozwolony"),
        (
            SimpleUploadedFile("paragon.pdf", b"<html>nie pdf</html>", "application/pdf"),
            "nie pasuje do jego rozszerzenia",
        ),
        (SimpleUploadedFile("pusty.pdf", b"", "application/pdf"), "plik jest pusty"),
    ],
)
def test_a_receipt_of_the_wrong_type_is_refused_and_no_expense_is_made(api_szef, in_a, media, upload, message):
    response = api_szef.post("/api/v1/expenses/", {"name": "Papier", "amount": "10.00", "receipt": upload})

    assert response.status_code == 400
    assert message in " ".join(response.json()["receipt"])
    with in_a():
        assert not Expense.objects.exists()
    assert not list(media.rglob("*.*"))


def test_a_receipt_over_the_size_limit_is_refused(api_szef, in_a, settings, media):
    settings.IMCRM_ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("skan.pdf", PDF + b"0" * 2048, "application/pdf")

    response = api_szef.post("/api/v1/expenses/", {"name": "Skan", "amount": "10.00", "receipt": big})

    assert response.status_code == 400
    assert "Plik jest za duży (maksymalnie 1,0" in " ".join(response.json()["receipt"])
    with in_a():
        assert not Expense.objects.exists()


# --- filters ---------------------------------------------------------------------------------


def test_filters_by_category_customer_billable_and_date_range(api_szef, in_a, szef):
    with in_a():
        fuel, office = ExpenseCategoryFactory(name="Paliwo testowe"), ExpenseCategoryFactory(name="Biuro testowe")
        client = CustomerFactory(owner=szef)
        october = ExpenseFactory(category=fuel, date=date(2026, 10, 15), owner=szef)
        billable = ExpenseFactory(category=office, customer=client, billable=True, date=date(2026, 11, 2), owner=szef)
        bare = ExpenseFactory(date=date(2026, 11, 20), owner=szef)

    def ids(query):
        response = api_szef.get(f"/api/v1/expenses/{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(f"?category={fuel.pk}") == {october.pk}
    assert ids("?category=none") == {bare.pk}
    assert ids(f"?customer={client.pk}") == {billable.pk}
    assert ids("?billable=true") == {billable.pk}
    assert ids("?billable=false") == {october.pk, bare.pk}
    assert ids("?date_from=2026-11-01&date_to=2026-11-30") == {billable.pk, bare.pk}
    assert ids("?invoiced=false&search=wydatek") == {october.pk, billable.pk, bare.pk}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?date_from=2026-13-01", "date_from"),
        ("?date_from=2026-11-30&date_to=2026-11-01", "date_to"),
        ("?billable=maybe", "billable"),
        ("?category=x", "category"),
        ("?customer=999999", "customer"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(api_szef, query, field):
    response = api_szef.get(f"/api/v1/expenses/{query}")

    assert response.status_code == 400
    assert field in response.json()


# --- ranks and isolation ----------------------------------------------------------------------


def test_pracownik_sees_and_changes_only_his_own_expenses(api_pracownik, in_a, pracownik, szef):
    with in_a():
        mine = ExpenseFactory(owner=pracownik, created_by=pracownik)
        made_for_me = ExpenseFactory(owner=pracownik, created_by=szef)
        theirs = ExpenseFactory(owner=szef, created_by=szef)

    listed = {row["id"] for row in api_pracownik.get("/api/v1/expenses/").json()["results"]}

    assert listed == {mine.pk, made_for_me.pk}
    assert api_pracownik.get(f"/api/v1/expenses/{theirs.pk}/").status_code == 404
    assert _json(api_pracownik, "patch", f"/api/v1/expenses/{theirs.pk}/", {"name": "Moje"}).status_code == 404
    assert api_pracownik.delete(f"/api/v1/expenses/{theirs.pk}/").status_code == 404
    assert _json(api_pracownik, "patch", f"/api/v1/expenses/{mine.pk}/", {"name": "Moje"}).status_code == 200


def test_restricted_pracownik_also_works_with_his_own_expenses(api_restricted_pracownik, in_a, restricted_pracownik):
    with in_a():
        mine = ExpenseFactory(owner=restricted_pracownik, created_by=restricted_pracownik)

    response = _json(api_restricted_pracownik, "patch", f"/api/v1/expenses/{mine.pk}/", {"amount": "10"})

    assert response.status_code == 200
    created = _json(api_restricted_pracownik, "post", "/api/v1/expenses/", {"name": "Parking", "amount": "5"})
    assert created.status_code == 201 and created.json()["owner"] == restricted_pracownik.pk


def test_pracownik_cannot_record_an_expense_as_someone_elses(api_pracownik, szef, in_a):
    response = _json(api_pracownik, "post", "/api/v1/expenses/", {"name": "X", "amount": "10", "owner": szef.pk})

    assert response.status_code == 400
    assert "tylko siebie" in response.json()["owner"][0]
    with in_a():
        assert not Expense.objects.exists()


def test_restricted_pracownik_cannot_bill_a_customer_hidden_from_him(api_restricted_pracownik, in_a, szef):
    with in_a():
        hidden = CustomerFactory(owner=szef)

    response = _json(
        api_restricted_pracownik,
        "post",
        "/api/v1/expenses/",
        {"name": "X", "amount": "10", "customer": hidden.pk, "billable": True},
    )

    assert response.status_code == 400 and "customer" in response.json()


def test_kierownik_sees_changes_and_hands_expenses_to_anyone(api_kierownik, in_a, pracownik, szef):
    with in_a():
        theirs = ExpenseFactory(owner=pracownik, created_by=pracownik)

    response = _json(api_kierownik, "patch", f"/api/v1/expenses/{theirs.pk}/", {"owner": szef.pk})

    assert response.status_code == 200 and response.json()["owner"] == szef.pk


def test_another_companys_expense_is_a_404_for_every_method(api_outsider, in_a, szef):
    with in_a():
        expense = ExpenseFactory(owner=szef, created_by=szef)
    url = f"/api/v1/expenses/{expense.pk}/"

    assert api_outsider.get(url).status_code == 404
    assert _json(api_outsider, "patch", url, {"name": "Cudze"}).status_code == 404
    assert api_outsider.delete(url).status_code == 404
    assert api_outsider.get(f"{url}receipt/").status_code == 404
    assert api_outsider.get("/api/v1/expenses/").json()["results"] == []
    with in_a():
        assert Expense.objects.get(pk=expense.pk).name == expense.name


def test_anonymous_callers_get_a_401(client_a):
    assert client_a.get("/api/v1/expenses/").status_code == 401


def test_list_query_count_does_not_grow_with_the_number_of_expenses(
    api_szef, in_a, szef, django_assert_max_num_queries
):
    with in_a():
        for _i in range(30):
            ExpenseFactory(owner=szef, category=ExpenseCategoryFactory(), customer=CustomerFactory())
    with django_assert_max_num_queries(20):
        assert api_szef.get("/api/v1/expenses/").status_code == 200
