"""Sample deals for the demo company (called from crm/demo/seed.py after the customers),
and a second pipeline, "Serwis", with its own stages and a few deals.

Idempotent: does nothing once the company has any deal (the Serwis pipeline: once it
exists), or while it has no customers.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from crm.accounts.models import User
from crm.categories.models import (
    DealCategory,
    DealStage,
    DealStatus,
    DealStatusCode,
    LossReason,
    Pipeline,
    WinReason,
    pipeline_default,
)
from crm.contacts.models import Customer
from crm.sales.models import Deal
from crm.sales.pipelines import pipeline_create, stage_create
from crm.sales.services import deal_close, deal_create, deal_move_stage

# name, value, currency, category index, stage index, status code, days to expected close
DEALS: list[tuple[str, str, str, int, int, str, int]] = [
    ("Wdrożenie CRM dla 50 stanowisk", "48000", "PLN", 1, 3, "in_progress", 21),
    ("Dostawa laptopów Dell Latitude (20 szt.)", "86400", "PLN", 0, 2, "in_progress", 14),
    ("Abonament serwisowy na 12 miesięcy", "14400", "PLN", 2, 1, "in_progress", 30),
    ("Modernizacja sieci LAN w magazynie", "32750", "PLN", 1, 0, "in_progress", 45),
    ("Licencje Microsoft 365 Business", "9600", "PLN", 2, 4, "in_progress", 7),
    ("Audyt bezpieczeństwa IT", "18500", "PLN", 1, 1, "in_progress", 28),
    ("Dostawa serwerów do oddziału w Berlinie", "24000", "EUR", 0, 2, "in_progress", 40),
    ("Kampania Google Ads – III kwartał", "12000", "PLN", 1, 0, "in_progress", 20),
    ("Szkolenie z obsługi systemu ERP", "6800", "PLN", 1, 3, "in_progress", 10),
    ("Instalacja fotowoltaiki 50 kWp", "185000", "PLN", 0, 2, "in_progress", 60),
    ("Meble biurowe do nowej siedziby", "57300", "PLN", 0, 4, "won", -5),
    ("Projekt nowej strony internetowej", "22000", "PLN", 1, 4, "won", -12),
    ("Monitoring floty pojazdów", "31200", "PLN", 2, 3, "lost", -8),
    ("Outsourcing księgowości", "4500", "PLN", 2, 1, "postponed", 90),
    ("Serwis klimatyzacji w biurowcu", "7900", "PLN", 1, 2, "in_progress", 18),
    ("Druk katalogów produktowych", "15600", "PLN", 0, 1, "in_progress", 25),
]


def deals_demo_seed() -> int:
    """Create the sample deals; returns how many were created."""
    customers = list(Customer.objects.order_by("id")[: len(DEALS)])
    if not customers or Deal.objects.exists():
        return 0
    staff = list(User.objects.filter(is_active=True).order_by("role", "id"))
    stages = list(DealStage.objects.filter(pipeline=pipeline_default()).order_by("position", "id"))
    categories = list(DealCategory.objects.order_by("position", "id"))
    statuses = {s.code: s for s in DealStatus.objects.exclude(code="")}
    win, loss = WinReason.objects.order_by("id").first(), LossReason.objects.order_by("id").first()
    today = timezone.localdate()
    created = 0
    for index, (name, value, currency, category, stage, code, days) in enumerate(DEALS):
        owner = staff[index % len(staff)] if staff else None
        start_stage = stages[max(0, min(stage, len(stages) - 1) - 1)] if stages else None
        deal = deal_create(
            actor=owner,
            name=name,
            customer=customers[index % len(customers)],
            value=Decimal(value),
            currency=currency,
            category=categories[category % len(categories)] if categories else None,
            stage=start_stage,
            owner=owner,
            expected_close=today + timedelta(days=days),
        )
        if stages and stage < len(stages) and stages[stage] != start_stage:
            deal_move_stage(deal=deal, stage=stages[stage], actor=owner)
        if code != DealStatusCode.IN_PROGRESS and code in statuses:
            deal_close(
                deal=deal,
                status=statuses[code],
                actor=owner,
                win_reason=win if code == DealStatusCode.WON else None,
                loss_reason=loss if code == DealStatusCode.LOST else None,
            )
        created += 1
    return created


SERVICE_PIPELINE = "Serwis"
# name, colour, probability
SERVICE_STAGES: list[tuple[str, str, int]] = [
    ("Zgłoszenie serwisowe", "#f5b041", 20),
    ("Diagnoza", "#eb984e", 40),
    ("Wycena naprawy", "#dc7633", 60),
    ("Realizacja serwisu", "#a04000", 85),
]
# name, value, stage index, days to expected close
SERVICE_DEALS: list[tuple[str, str, int, int]] = [
    ("Naprawa serwera plików", "3200", 0, 10),
    ("Przegląd klimatyzacji w serwerowni", "1800", 1, 35),
    ("Wymiana zasilaczy UPS", "9400", 2, 40),
    ("Serwis drukarek – umowa kwartalna", "5100", 3, 70),
    ("Odzyskiwanie danych z dysku RAID", "7600", 1, 15),
]


def pipelines_demo_seed() -> int:
    """The "Serwis" pipeline with its stages and sample deals; returns how many deals were
    created (none once the pipeline exists, or without customers)."""
    customers = list(Customer.objects.order_by("-id")[: len(SERVICE_DEALS)])
    if not customers or Pipeline.objects.filter(name__iexact=SERVICE_PIPELINE).exists():
        return 0
    pipeline = pipeline_create(actor=None, name=SERVICE_PIPELINE)
    # a new pipeline: its stages may share names with another pipeline's
    stages = [
        stage_create(actor=None, pipeline=pipeline, name=name, color=color, probability=probability)
        for name, color, probability in SERVICE_STAGES
    ]
    staff = list(User.objects.filter(is_active=True).order_by("-role", "id"))
    today = timezone.localdate()
    for index, (name, value, stage, days) in enumerate(SERVICE_DEALS):
        owner = staff[index % len(staff)] if staff else None
        deal_create(
            actor=owner,
            name=name,
            customer=customers[index % len(customers)],
            value=Decimal(value),
            pipeline=pipeline,
            stage=stages[min(stage, len(stages) - 1)] if stages else None,
            owner=owner,
            expected_close=today + timedelta(days=days),
        )
    return len(SERVICE_DEALS)
