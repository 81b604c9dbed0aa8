"""Money records in Settings > Kosz: a deleted draft invoice, expense or recurring invoice
comes back whole (lines, receipt, periods); an issued invoice is never deleted."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from crm.expenses.models import Expense
from crm.expenses.services import expense_receipt_set
from crm.invoicing.models import Invoice, InvoiceLine, RecurringInvoice, RecurringInvoiceRun
from crm.invoicing.recurring import recurring_create
from crm.trash.models import TrashEntry
from crm.trash.services import trash_purge
from tests.crm.catalog.factories import ProductFactory
from tests.crm.expenses.factories import ExpenseFactory
from tests.crm.expenses.helpers import pdf_upload
from tests.crm.invoicing.factories import buyer_make, draft_make, issued_make, line

pytestmark = pytest.mark.django_db


def _draft(szef):
    customer = buyer_make(owner=szef, name="Hurtownia Śrubex")
    return draft_make(
        actor=szef,
        customer=customer,
        lines=[line("Wdrożenie CRM", "1000.00"), line("Szkolenie", "500.00", quantity=Decimal(2))],
    )


def test_a_deleted_draft_invoice_comes_back_from_the_trash_with_its_lines(client_a, szef, in_a):
    with in_a():
        invoice = _draft(szef)
        pk = invoice.pk
        line_ids = sorted(invoice.lines.values_list("pk", flat=True))
    client_a.login_as(szef)

    assert client_a.post(f"/invoices/{pk}/delete/").status_code == 302

    with in_a():
        assert not Invoice.objects.filter(pk=pk).exists()
        assert not InvoiceLine.objects.filter(pk__in=line_ids).exists()
        entry = TrashEntry.objects.get()
    page = client_a.get("/settings/trash/").content.decode()
    assert "Faktura VAT (szkic) — Hurtownia Śrubex, 2460.00 PLN" in page
    assert ">Faktura<" in page

    response = client_a.post(f"/settings/trash/{entry.pk}/restore/")

    assert response.status_code == 302 and response["Location"] == f"/invoices/{pk}/"
    with in_a():
        restored = Invoice.objects.get(pk=pk)
        assert restored.gross_total == Decimal("2460.00") and restored.status == "draft"
        assert sorted(restored.lines.values_list("pk", flat=True)) == line_ids
        assert sorted(restored.lines.values_list("name", flat=True)) == ["Szkolenie", "Wdrożenie CRM"]
        assert not TrashEntry.objects.exists()
    assert "Wdrożenie CRM" in client_a.get(f"/invoices/{pk}/").content.decode()


def test_an_issued_invoice_is_not_deleted_and_szef_is_told_to_correct_it(client_a, szef, in_a):
    with in_a():
        invoice = issued_make(actor=szef)
        number = invoice.number

    client_a.login_as(szef)
    response = client_a.post(f"/invoices/{invoice.pk}/delete/", follow=True)

    page = response.content.decode()
    assert f"Faktura {number} jest już wystawiona i nie można jej zmieniać. Wystaw fakturę korygującą." in page
    with in_a():
        assert Invoice.objects.filter(pk=invoice.pk, number=number).exists()
        assert not TrashEntry.objects.exists()


def test_a_deleted_draft_gives_its_expense_back_and_a_restore_takes_it_again(client_a, szef, in_a):
    with in_a():
        invoice = _draft(szef)
        expense = ExpenseFactory(customer=invoice.customer, billable=True, owner=szef, invoiced=invoice)
    client_a.login_as(szef)
    client_a.post(f"/invoices/{invoice.pk}/delete/")
    with in_a():
        expense.refresh_from_db()
        assert expense.invoiced_id is None
        entry = TrashEntry.objects.get()

    client_a.post(f"/settings/trash/{entry.pk}/restore/")

    with in_a():
        expense.refresh_from_db()
        assert expense.invoiced_id == invoice.pk


def test_a_deleted_expense_comes_back_with_its_receipt(client_a, szef, in_a, django_capture_on_commit_callbacks):
    with in_a():
        expense = ExpenseFactory(name="Paliwo — Orlen", owner=szef)
        expense_receipt_set(expense=expense, actor=szef, upload=pdf_upload())
        expense.refresh_from_db()
        stored = Path(expense.receipt.path)
        content = stored.read_bytes()
    client_a.login_as(szef)

    with django_capture_on_commit_callbacks(execute=True):
        assert client_a.post(f"/expenses/{expense.pk}/delete/").status_code == 302

    with in_a():
        assert not Expense.objects.filter(pk=expense.pk).exists()
        entry = TrashEntry.objects.get()
    assert not stored.exists()
    assert "Paliwo — Orlen" in client_a.get("/settings/trash/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(f"/settings/trash/{entry.pk}/restore/")

    assert response.status_code == 302 and response["Location"] == f"/expenses/{expense.pk}/"
    with in_a():
        restored = Expense.objects.get(pk=expense.pk)
        assert restored.name == "Paliwo — Orlen" and restored.gross_amount == Decimal("123.00")
    assert stored.read_bytes() == content


def test_a_deleted_recurring_invoice_comes_back_with_its_periods(api_kierownik, client_a, szef, in_a):
    with in_a():
        template = issued_make(actor=szef)
        recurring = recurring_create(
            actor=szef, template=template, interval="monthly", next_date=timezone.localdate() + timedelta(days=3)
        )
        RecurringInvoiceRun.objects.create(recurring=recurring, period="2026-01", invoice=None)

    assert api_kierownik.delete(f"/api/v1/recurring-invoices/{recurring.pk}/").status_code == 204

    with in_a():
        assert not RecurringInvoice.objects.filter(pk=recurring.pk).exists()
        assert Invoice.objects.filter(pk=template.pk).exists()  # the invoices made so far stay
        entry = TrashEntry.objects.get()
    client_a.login_as(szef)
    page = client_a.get("/settings/trash/").content.decode()
    assert f"Faktura cykliczna {template.number}" in page and ">Faktura cykliczna<" in page

    assert client_a.post(f"/settings/trash/{entry.pk}/restore/").status_code == 302

    with in_a():
        restored = RecurringInvoice.objects.get(pk=recurring.pk)
        assert restored.template_id == template.pk and restored.interval == "monthly"
        assert list(restored.runs.values_list("period", flat=True)) == ["2026-01"]


def test_a_purged_draft_invoice_is_gone_for_good(client_a, szef, in_a):
    with in_a():
        invoice = _draft(szef)
    client_a.login_as(szef)
    client_a.post(f"/invoices/{invoice.pk}/delete/")
    with in_a():
        entry = TrashEntry.objects.get()
        entry.expires_at = timezone.now() - timedelta(minutes=1)
        entry.save()

        assert trash_purge() == 1

        assert not TrashEntry.objects.exists()
        assert not Invoice.objects.filter(pk=invoice.pk).exists()
    assert client_a.post(f"/settings/trash/{entry.pk}/restore/").status_code == 404


def test_pracownik_cannot_restore_a_deleted_invoice(client_a, szef, pracownik, in_a):
    with in_a():
        invoice = _draft(szef)
    client_a.login_as(szef)
    client_a.post(f"/invoices/{invoice.pk}/delete/")
    with in_a():
        entry = TrashEntry.objects.get()
    client_a.login_as(pracownik)

    assert client_a.post(f"/settings/trash/{entry.pk}/restore/").status_code == 403

    with in_a():
        assert not Invoice.objects.filter(pk=invoice.pk).exists()


def test_a_product_is_never_deleted_only_deactivated_so_it_needs_no_trash(api_szef, in_a):
    with in_a():
        product = ProductFactory(name="Wdrożenie CRM")

    assert api_szef.delete(f"/api/v1/products/{product.pk}/").status_code == 405
    response = api_szef.patch(f"/api/v1/products/{product.pk}/", {"active": False}, content_type="application/json")

    assert response.status_code == 200 and response.json()["active"] is False
    with in_a():
        assert not TrashEntry.objects.exists()
