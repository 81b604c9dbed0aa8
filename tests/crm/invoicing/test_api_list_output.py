"""The invoice list serialises lines and per-rate totals on a short path (the list of 50
invoices with 10 lines is mostly that): its output must be exactly DRF's own."""

from __future__ import annotations

from decimal import Decimal

from rest_framework.test import APIRequestFactory

from crm.invoicing.api import invoice_with_lines
from crm.invoicing.models import Invoice
from crm.invoicing.serializers import InvoiceLineSerializer, InvoiceSerializer, RateTotalSerializer
from crm.invoicing.services import invoice_correction_create
from crm.invoicing.services.common import invoice_totals
from tests.crm.catalog.factories import ProductFactory
from tests.crm.invoicing.factories import issued_make, line


def test_lines_and_rate_totals_are_what_drf_itself_would_give(in_a, szef):
    with in_a():
        product = ProductFactory()
        invoice = issued_make(
            lines=[
                line("Wdrożenie", "1000.00", quantity=Decimal("2.5"), discount_percent=Decimal("10")),
                line("Szkolenie", "333.33", vat_rate="8", product=product, gtu="GTU_12", unit="godz."),
                line("Licencja", "99.99", vat_rate="zw", annex15=True),
            ],
            exemption_basis="art. 43 ust. 1 pkt 37 ustawy o VAT",
        )
        correction = invoice_correction_create(
            original=invoice, actor=szef, reason="Rabat", lines=[line("Wdrożenie", "800.00")]
        )
        request = APIRequestFactory().get("/api/v1/invoices/")
        request.user = szef
        rows = list(invoice_with_lines(Invoice.objects.filter(pk__in=[invoice.pk, correction.pk]).order_by("pk")))
        data = InvoiceSerializer(rows, many=True, context={"request": request}).data

        for row, out in zip(rows, data, strict=True):
            current = [ln for ln in row.lines.all() if not ln.before_correction]
            assert out["lines"] == [dict(InvoiceLineSerializer(ln).data) for ln in current]
            expected = RateTotalSerializer(invoice_totals(row).by_rate, many=True).data
            assert out["totals_by_rate"] == [dict(r) for r in expected]

    assert data[0]["lines"][1]["product"] == product.pk and data[0]["lines"][1]["net_price"] == "333.33"
    assert [r["vat_rate"] for r in data[0]["totals_by_rate"]] == ["23", "8", "zw"]
    assert data[1]["lines"][0]["name"] == "Wdrożenie" and len(data[1]["lines"]) == 1
