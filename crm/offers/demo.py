"""Sample offers of the demo company (called from crm/demo/seed.py after the customers and
the catalogue): a draft, one sent and awaiting an answer, one accepted and one declined,
their lines taken from the demo catalogue's products.

Idempotent: does nothing once the company has any offer, or while it has no customers
or products. No e-mail goes out: a "sent" offer gets its number and status as sending
would give them, an answered one the answer as the public page would record it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from crm.accounts.models import Role, User
from crm.catalog.models import Product
from crm.contacts.models import Customer
from crm.documents.lines import LineData
from crm.offers.models import Offer, OfferStatus
from crm.offers.services import _number_give, offer_create


@dataclass(frozen=True)
class DemoOffer:
    title: str
    status: str
    days_ago: int
    lines: list[tuple[str, str, str]]  # product name, quantity, discount %
    accepted_name: str = ""
    decline_comment: str = ""


OFFERS = [
    DemoOffer(
        "Wdrożenie CRM dla działu handlowego",
        OfferStatus.ACCEPTED,
        30,
        [("Wdrożenie CRM – pakiet Start", "1", "0"), ("Szkolenie użytkowników (1 dzień)", "2", "0")],
        accepted_name="Katarzyna Wiśniewska",
    ),
    DemoOffer(
        "Sprzęt dla nowego biura",
        OfferStatus.SENT,
        6,
        [("Laptop Dell Latitude 5450", "5", "5"), ('Monitor Dell 27" P2723DE', "5", "5")],
    ),
    DemoOffer(
        "Opieka serwisowa na rok",
        OfferStatus.DECLINED,
        18,
        [("Abonament serwisowy (miesiąc)", "12", "10")],
        decline_comment="Na razie zostajemy przy obecnym dostawcy.",
    ),
    DemoOffer(
        "Licencje i konsultacje",
        OfferStatus.DRAFT,
        1,
        [("Licencja Microsoft 365 Business (12 mies.)", "15", "0"), ("Konsultacje wdrożeniowe", "8", "0")],
    ),
]


def _lines(demo: DemoOffer, products: dict[str, Product]) -> list[LineData]:
    lines = []
    for name, quantity, discount in demo.lines:
        product = products.get(name)
        if product is None:
            continue
        lines.append(
            LineData(
                name=product.name,
                net_price=product.net_price,
                quantity=Decimal(quantity),
                unit=product.unit,
                vat_rate=product.vat_rate,
                discount_percent=Decimal(discount),
                product_id=product.pk,
                gtu=product.gtu,
            )
        )
    return lines


@transaction.atomic  # the numbering locks its counter row (seed_demo runs in autocommit)
def offers_demo_seed() -> int:
    """Create the sample offers; returns how many were created."""
    customers = list(Customer.objects.order_by("id")[:4])
    products = {product.name: product for product in Product.objects.filter(active=True)}
    if not customers or not products or Offer.objects.exists():
        return 0
    owner = User.objects.filter(is_active=True, role=Role.SZEF).order_by("id").first()
    today = timezone.localdate()
    now = timezone.now()
    made = 0
    for index, demo in enumerate(OFFERS):
        lines = _lines(demo, products)
        if not lines:
            continue
        day = today - timedelta(days=demo.days_ago)
        offer = offer_create(
            actor=None,
            customer=customers[index % len(customers)],
            lines=lines,
            owner=owner,
            title=demo.title,
            issue_date=day,
            valid_until=max(day + timedelta(days=30), today + timedelta(days=7)),
            currency="PLN",
            terms="Płatność przelewem w terminie 14 dni od daty faktury.",
        )
        if demo.status != OfferStatus.DRAFT:
            with transaction.atomic():  # the numbering locks its counter row (seed_demo runs outside atomic)
                _number_give(offer)
            offer.status = demo.status
            offer.sent_at = now - timedelta(days=demo.days_ago)
            if demo.status in (OfferStatus.ACCEPTED, OfferStatus.DECLINED):
                offer.viewed_at = offer.sent_at + timedelta(hours=3)
                offer.answered_at = offer.sent_at + timedelta(days=2)
                offer.accepted_name = demo.accepted_name
                offer.decline_comment = demo.decline_comment
            offer.save()
        made += 1
    return made
