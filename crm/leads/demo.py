"""Sample leads of the demo company (called from crm/demo/seed.py): leads in each open
status, one lost with its reason, spread over the three staff. Idempotent: does nothing
once the company has any lead. (Conversion is left to the visitor, on a lead's card.)"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from crm.accounts.models import User
from crm.categories.models import ContactSource
from crm.leads.defaults import lead_statuses_defaults_create
from crm.leads.models import Lead, LeadStatus, LeadStatusCode
from crm.leads.services import lead_create


@dataclass(frozen=True)
class DemoLead:
    name: str
    company_name: str
    email: str
    phone: str
    value: str
    status: int  # the index among the open statuses; -1: lost
    owner: str
    lost_reason: str = ""


LEADS = [
    DemoLead(
        "Karolina Wiśniewska",
        "Wiśniewska Design",
        "karolina@wisniewska-design.test",
        "600 200 300",
        "8000",
        0,
        "szef@demo.test",
    ),
    DemoLead(
        "Marek Jabłoński",
        "Jabłoński Transport Sp. z o.o.",
        "marek@jablonski-transport.test",
        "601 301 401",
        "25000",
        0,
        "pracownik@demo.test",
    ),
    DemoLead("Agnieszka Lewandowska", "", "a.lewandowska@poczta.test", "602 402 502", "3000", 1, "pracownik@demo.test"),
    DemoLead(
        "Tomasz Krawczyk",
        "Krawczyk Budownictwo",
        "biuro@krawczyk-bud.test",
        "603 503 603",
        "60000",
        1,
        "kierownik@demo.test",
    ),
    DemoLead(
        "Ewa Dąbrowska", "Apteka pod Lipami", "ewa@apteka-lipy.test", "604 604 704", "12000", 2, "kierownik@demo.test"
    ),
    DemoLead(
        "Paweł Mazur",
        "Mazur Foto",
        "pawel@mazurfoto.test",
        "605 705 805",
        "4000",
        -1,
        "szef@demo.test",
        "Wybrał tańszą ofertę konkurencji.",
    ),
]


def leads_demo_seed() -> int:
    """Create the demo leads; returns how many were made (0 when already there)."""
    if Lead.objects.exists():
        return 0
    lead_statuses_defaults_create()
    open_statuses = list(LeadStatus.objects.filter(code="").order_by("position", "id"))
    lost = LeadStatus.objects.filter(code=LeadStatusCode.LOST).first()
    sources = list(ContactSource.objects.order_by("position", "id"))
    made = 0
    for index, demo in enumerate(LEADS):
        status = lost if demo.status < 0 else open_statuses[demo.status % len(open_statuses)] if open_statuses else None
        lead_create(
            actor=None,
            name=demo.name,
            company_name=demo.company_name,
            email=demo.email,
            phone=demo.phone,
            value=Decimal(demo.value),
            status=status,
            lost_reason=demo.lost_reason,
            source=sources[index % len(sources)] if sources else None,
            owner=User.objects.filter(email=demo.owner, is_active=True).first(),
        )
        made += 1
    return made
