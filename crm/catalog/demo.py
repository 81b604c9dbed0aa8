"""Sample products of the demo company's catalogue (called from crm/demo/seed.py): services
and goods at several VAT rates, the lines of the demo offers.

Idempotent: does nothing once the company has any product.
"""

from __future__ import annotations

from decimal import Decimal

from crm.catalog.models import Product
from crm.catalog.services import product_create

# name, unit, net price, VAT rate, GTU, description
PRODUCTS: list[tuple[str, str, str, str, str, str]] = [
    ("Wdrożenie CRM – pakiet Start", "usł.", "6000.00", "23", "GTU_12", "Konfiguracja, import danych, 2 dni pracy."),
    ("Szkolenie użytkowników (1 dzień)", "dzień", "900.00", "23", "", "Do 10 osób, w siedzibie klienta."),
    ("Abonament serwisowy (miesiąc)", "mies.", "1200.00", "23", "", "Wsparcie techniczne w dni robocze."),
    ("Konsultacje wdrożeniowe", "godz.", "250.00", "23", "GTU_12", ""),
    ("Laptop Dell Latitude 5450", "szt.", "4300.00", "23", "GTU_06", '14", 16 GB RAM, SSD 512 GB.'),
    ('Monitor Dell 27" P2723DE', "szt.", "1290.00", "23", "GTU_06", ""),
    ("Licencja Microsoft 365 Business (12 mies.)", "szt.", "480.00", "23", "", ""),
    ("Książka „Sprzedaż B2B”", "szt.", "89.00", "5", "", "Poradnik dla działów handlowych."),
]


def products_demo_seed() -> int:
    """Create the sample products; returns how many were created."""
    if Product.objects.exists():
        return 0
    for name, unit, net, rate, gtu, description in PRODUCTS:
        product_create(
            actor=None, name=name, unit=unit, net_price=Decimal(net), vat_rate=rate, gtu=gtu, description=description
        )
    return len(PRODUCTS)
