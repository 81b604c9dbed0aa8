"""Sample contracts of the demo company (called from crm/demo/seed.py after the customers):
a draft, one sent for signature, one signed and running that ends soon (its owner gets
the reminder), one expired with its renewal. Idempotent: does nothing once the company
has any contract, or while it has no customers. No e-mail goes out: statuses and the
signature are set as sending and the public page would set them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from crm.accounts.models import Role, User
from crm.contacts.models import Customer
from crm.contracts.models import Contract, ContractStatus, ContractType
from crm.contracts.selectors import contract_hash
from crm.contracts.services import contract_create


@dataclass(frozen=True)
class DemoContract:
    subject: str
    status: str
    value: str
    started_days_ago: int
    length_days: int
    signer: str = ""


CONTRACTS = [
    DemoContract("Wdrożenie i szkolenie CRM", ContractStatus.DRAFT, "18000.00", -14, 180),
    DemoContract("Umowa serwisowa na 2027", ContractStatus.SENT, "24000.00", -30, 365),
    DemoContract("Abonament wsparcia technicznego", ContractStatus.ACTIVE, "9600.00", 340, 365, "Anna Nowak"),
    DemoContract("Licencja oprogramowania 2025", ContractStatus.EXPIRED, "12000.00", 400, 365, "Piotr Zieliński"),
]
DESCRIPTION = (
    "§1 Wykonawca świadczy na rzecz Zamawiającego usługi opisane w przedmiocie umowy.\n"
    "§2 Wynagrodzenie płatne jest przelewem w terminie 14 dni od daty faktury.\n"
    "§3 Każda ze stron może rozwiązać umowę z miesięcznym wypowiedzeniem."
)


def contracts_demo_seed() -> int:
    """Create the demo contracts; returns how many were made (0 when already there)."""
    customers = list(Customer.objects.order_by("id")[:10])
    if not customers or Contract.objects.exists():
        return 0
    owner = User.objects.filter(is_active=True, role=Role.SZEF).order_by("id").first()
    types = list(ContractType.objects.order_by("position", "id"))
    today = timezone.localdate()
    now = timezone.now()
    made = 0
    for index, demo in enumerate(CONTRACTS):
        start = today - timedelta(days=demo.started_days_ago)
        contract = contract_create(
            actor=None,
            customer=customers[index % len(customers)],
            subject=demo.subject,
            type=types[index % len(types)] if types else None,
            value=Decimal(demo.value),
            currency="PLN",
            start_date=start,
            end_date=start + timedelta(days=demo.length_days),
            description=DESCRIPTION,
            owner=owner,
        )
        if demo.status != ContractStatus.DRAFT:
            contract.status = demo.status
            contract.sent_at = now - timedelta(days=max(demo.started_days_ago, 0) + 7)
            if demo.signer:
                contract.signed_at = contract.sent_at + timedelta(days=2)
                contract.signed_by = demo.signer
                contract.signed_ip = "203.0.113.10"
                contract.signed_hash = contract_hash(contract)
            contract.save()
        made += 1
        if demo.status == ContractStatus.EXPIRED:
            contract_create(
                actor=None,
                customer=contract.customer,
                subject=contract.subject.replace("2025", "2026"),
                type=contract.type,
                value=contract.value,
                currency=contract.currency,
                start_date=(contract.end_date or today) + timedelta(days=1),
                end_date=(contract.end_date or today) + timedelta(days=366),
                description=DESCRIPTION,
                owner=owner,
                renewed_from=contract,
            )
            made += 1
    return made
