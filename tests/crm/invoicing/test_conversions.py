"""Invoices made from other documents: a pro-forma becomes a VAT invoice, an accepted offer
becomes an invoice in one click (each source once)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from crm.activity.models import ActivityEntry
from crm.documents.totals import line_net
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceStatus, KsefStatus
from crm.offers.models import Offer, OfferLine, OfferStatus
from tests.crm.invoicing.factories import buyer_make, issued_make, line
from tests.crm.sales.factories import DealFactory


def _offer(status=OfferStatus.ACCEPTED, **kwargs) -> Offer:
    customer = kwargs.pop("customer", None) or buyer_make()
    offer = Offer.objects.create(
        number="OF/2026/7", customer=customer, status=status, issue_date=timezone.localdate(), **kwargs
    )
    for position, (name, price, rate) in enumerate([("Wdrożenie", "4000.00", "23"), ("Szkolenie", "800.00", "8")], 1):
        row = OfferLine(document=offer, position=position, name=name, net_price=Decimal(price), vat_rate=rate)
        row.net_value = line_net(row.as_line_in())
        row.save()
    return offer


def test_an_issued_proforma_becomes_a_vat_draft_once(api_szef, in_a):
    with in_a():
        proforma = issued_make(kind=InvoiceKind.PROFORMA, lines=[line("Abonament", "990.00")])
    assert proforma.number.startswith("PRO/") and proforma.ksef_status == KsefStatus.NOT_APPLICABLE

    first = api_szef.post(f"/api/v1/invoices/{proforma.pk}/convert/")
    again = api_szef.post(f"/api/v1/invoices/{proforma.pk}/convert/")

    assert first.status_code == 201, first.content
    data = first.json()
    assert data["kind"] == "vat" and data["status"] == "draft" and data["from_proforma"] == proforma.pk
    assert data["gross_total"] == proforma.gross_total.to_eng_string()
    assert again.json()["id"] == data["id"]
    issued = api_szef.post(f"/api/v1/invoices/{data['id']}/issue/")
    assert issued.json()["number"].startswith("FV/")


def test_a_vat_invoice_or_draft_is_not_converted(api_szef, in_a):
    with in_a():
        vat = issued_make()

    response = api_szef.post(f"/api/v1/invoices/{vat.pk}/convert/")

    assert response.status_code == 400 and "pro forma" in response.json()["status"][0]


def test_an_accepted_offer_becomes_an_invoice_in_one_click(client_a, szef, in_a):
    with in_a():
        deal = DealFactory()
        offer = _offer(customer=deal.customer, deal=deal)
    client_a.login_as(szef)

    response = client_a.post(reverse("invoicing:invoice_from_offer", args=[offer.pk]))
    again = client_a.post(reverse("invoicing:invoice_from_offer", args=[offer.pk]))

    with in_a():
        invoice = Invoice.objects.get()
        assert ActivityEntry.objects.filter(code="invoice.from_offer", object_id=str(invoice.pk)).exists()
    assert response.status_code == 302 and response["Location"] == f"/invoices/{invoice.pk}/"
    assert again["Location"] == response["Location"]
    assert invoice.offer_id == offer.pk and invoice.deal_id == deal.pk and invoice.customer_id == offer.customer_id
    assert invoice.status == InvoiceStatus.DRAFT
    assert invoice.net_total == Decimal("4800.00")
    assert invoice.gross_total == Decimal("5784.00")  # 4920 + 864


def test_an_offer_not_accepted_is_not_invoiced(client_a, szef, in_a):
    with in_a():
        offer = _offer(status=OfferStatus.SENT)
    client_a.login_as(szef)

    response = client_a.post(reverse("invoicing:invoice_from_offer", args=[offer.pk]), follow=True)

    assert "z zaakceptowanej oferty" in response.content.decode()
    with in_a():
        assert not Invoice.objects.exists()


def test_another_company_cannot_invoice_an_offer(client_b, outsider, in_a):
    with in_a():
        offer = _offer()
    client_b.login_as(outsider)

    assert client_b.post(reverse("invoicing:invoice_from_offer", args=[offer.pk])).status_code == 404
