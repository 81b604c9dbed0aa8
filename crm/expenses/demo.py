"""Sample expenses for the demo company (called from crm/demo/seed.py after customers):
a dozen over the last three months in several categories, some billable to customers,
two with a receipt file.

Idempotent: does nothing once the company has any expense, or while it has no
expense categories.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from crm.accounts.models import Role, User
from crm.contacts.models import Customer
from crm.documents.models import PaymentMethod
from crm.expenses.models import Expense, ExpenseCategory
from crm.expenses.services import expense_create

# name, category position (1 = first), months back, day, net, VAT rate, supplier, billable customer index or None,
# payment method, receipt
EXPENSES: list[tuple[str, int, int, int, str, str, str, int | None, str, bool]] = [
    ("Tankowanie — wizyta u klienta w Poznaniu", 1, 0, 3, "243.90", "23", "Orlen S.A.", 0, PaymentMethod.CARD, True),
    ("Bilety PKP Intercity Warszawa–Gdańsk", 2, 0, 5, "185.19", "8", "PKP Intercity", 1, PaymentMethod.CARD, False),
    ("Papier i tonery do drukarki", 3, 0, 8, "412.00", "23", "Biuro Plus", None, PaymentMethod.TRANSFER, True),
    ("Abonament Microsoft 365", 4, 0, 1, "276.00", "23", "Microsoft Ireland", None, PaymentMethod.CARD, False),
    (
        "Abonament telefoniczny i internet",
        5,
        1,
        10,
        "199.99",
        "23",
        "Orange Polska",
        None,
        PaymentMethod.TRANSFER,
        False,
    ),
    ("Kampania LinkedIn Ads", 6, 1, 14, "1500.00", "np", "LinkedIn Ireland", None, PaymentMethod.CARD, False),
    (
        "Montaż okablowania — podwykonawca",
        7,
        1,
        18,
        "2400.00",
        "23",
        "Elektro-Instal Sp. z o.o.",
        2,
        PaymentMethod.TRANSFER,
        False,
    ),
    ("Nocleg podczas wdrożenia", 2, 1, 21, "350.00", "8", "Hotel Novotel Kraków", 2, PaymentMethod.CARD, False),
    ("Lunch z klientem", 8, 1, 23, "186.18", "8", "Restauracja Stary Dom", None, PaymentMethod.CARD, False),
    ("Tankowanie floty", 1, 2, 4, "812.20", "23", "Shell Polska", None, PaymentMethod.CARD, False),
    (
        "Materiały promocyjne na targi",
        6,
        2,
        12,
        "950.00",
        "23",
        "Drukarnia Reklamowa",
        None,
        PaymentMethod.TRANSFER,
        False,
    ),
    ("Przejazd taxi na lotnisko", 2, 2, 26, "92.59", "8", "Bolt", 0, PaymentMethod.CARD, False),
]

RECEIPT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 120]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 44>>stream\nBT /F1 14 Tf 20 60 Td (Paragon fiskalny) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _month_day(today: date, months_back: int, day: int) -> date:
    first = today.replace(day=1)
    for _step in range(months_back):
        first = (first - timedelta(days=1)).replace(day=1)
    candidate = first.replace(day=min(day, 28))
    return min(candidate, today) if months_back == 0 else candidate


def expenses_demo_seed() -> int:
    """Create the sample expenses; returns how many were created."""
    categories = list(ExpenseCategory.objects.order_by("position", "id"))
    if not categories or Expense.objects.exists():
        return 0
    customers = list(Customer.objects.order_by("id")[:3])
    staff = list(User.objects.filter(is_active=True).order_by("id"))
    managers = [u for u in staff if u.role in (Role.SZEF, Role.KIEROWNIK)]
    workers = [u for u in staff if u.role == Role.PRACOWNIK]
    actor = managers[0] if managers else None
    today = timezone.localdate()
    for index, (name, position, back, day, net, rate, supplier, billable_to, method, receipt) in enumerate(EXPENSES):
        customer = customers[billable_to] if billable_to is not None and billable_to < len(customers) else None
        owner = workers[0] if workers and index % 3 == 1 else actor
        expense_create(
            actor=actor,
            name=name,
            category=categories[min(position, len(categories)) - 1],
            date=_month_day(today, back, day),
            amount=Decimal(net),
            vat_rate=rate,
            currency="PLN",
            supplier=supplier,
            payment_method=method,
            reference_number=f"FV/{today.year}/{index + 101}",
            customer=customer,
            billable=customer is not None,
            owner=owner,
            receipt=SimpleUploadedFile("paragon.pdf", RECEIPT_PDF, "application/pdf") if receipt else None,
        )
    return len(EXPENSES)
