"""Sample offers and catalogue products of the demo company: varied, from the catalogue, made once."""

from __future__ import annotations

from django_tenants.utils import schema_context

from crm.catalog.demo import PRODUCTS, products_demo_seed
from crm.catalog.models import Product
from crm.offers.demo import offers_demo_seed
from crm.offers.models import Offer, OfferLine, OfferStatus
from tests.crm.contacts.factories import CustomerFactory


def test_demo_offers_need_customers_and_products(in_a):
    with in_a():
        assert offers_demo_seed() == 0  # neither
        products_demo_seed()
        assert offers_demo_seed() == 0  # no customers yet
        assert not Offer.objects.exists()


def test_demo_products_are_made_once(in_a):
    with in_a():
        assert products_demo_seed() == len(PRODUCTS)
        assert products_demo_seed() == 0
        assert Product.objects.count() == len(PRODUCTS)
        assert {p.vat_rate for p in Product.objects.all()} >= {"23", "5"}


def test_demo_offers_are_draft_sent_accepted_and_declined_with_catalogue_lines_and_made_once(in_a, szef):
    with in_a():
        for name in ("Mleczarnia Łowicz", "Hurtownia Budmat", "Kancelaria Nowak"):
            CustomerFactory(name=name)
        products_demo_seed()

        created = offers_demo_seed()
        again = offers_demo_seed()

        offers = list(Offer.objects.prefetch_related("lines"))
        assert created == len(offers) == 4 and again == 0
        assert {offer.status for offer in offers} == {
            OfferStatus.DRAFT,
            OfferStatus.SENT,
            OfferStatus.ACCEPTED,
            OfferStatus.DECLINED,
        }
        for offer in offers:
            assert offer.lines.exists() and offer.gross_total > 0 and offer.owner_id == szef.pk
            assert bool(offer.number) == (offer.status != OfferStatus.DRAFT)
        assert not OfferLine.objects.filter(product__isnull=True).exists()
        accepted = next(offer for offer in offers if offer.status == OfferStatus.ACCEPTED)
        declined = next(offer for offer in offers if offer.status == OfferStatus.DECLINED)
        assert accepted.accepted_name and accepted.answered_at is not None
        assert declined.decline_comment


def test_the_whole_demo_seed_gives_the_demo_company_products_and_offers(company_a, szef, client_a):
    from crm.demo.seed import demo_data_seed

    with schema_context(company_a.schema_name):
        demo_data_seed(company=company_a)
        demo_data_seed(company=company_a)
        assert Product.objects.count() == len(PRODUCTS)
        assert Offer.objects.count() == 4
        sent = Offer.objects.get(status=OfferStatus.SENT)
    client_a.login_as(szef)
    assert sent.number in client_a.get("/offers/").content.decode()
    assert client_a.get(f"/offers/{sent.pk}/").status_code == 200
