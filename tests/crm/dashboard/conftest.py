"""The known data every dashboard test counts. Frozen "now": Wednesday 2025-03-12
10:00 in Warsaw (CET, UTC+1); the week runs Mon 10.03 - Sun 16.03; the windows start
at local midnight: 3 days -> 10.03, 7 days -> 06.03, 30 days -> 11.02."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django_tenants.utils import schema_context
from freezegun import freeze_time

from crm.accounts.models import User
from crm.categories.defaults import categories_defaults_create
from crm.categories.models import ContactGroup, DealStatus
from tests.crm.dashboard import factories as f

NOW = "2025-03-12 09:00:00"  # UTC = 10:00 in Warsaw


@dataclass
class Known:
    c: dict[str, Any]
    d: dict[str, Any]
    t: dict[str, Any]
    vip: ContactGroup


@pytest.fixture
def frozen() -> Any:
    with freeze_time(NOW) as frozen_time:
        yield frozen_time


@pytest.fixture
def known(company_a: Any, szef: User, pracownik: User) -> Known:
    w = f.waw
    with schema_context(company_a.schema_name):
        categories_defaults_create()  # a browser test's cleanup may have truncated them
        vip = ContactGroup.objects.get(name="Klient VIP")
        c = {
            "C1": f.customer(
                "Apteka Zdrowie",
                status_code="current",
                type_name="Klient",
                owner=szef,
                created_at=w(2025, 3, 12, 8, 0),
                last_contact_at=w(2025, 3, 12, 9, 0),
                followers=(szef,),
            ),
            "C2": f.customer(
                "Budmax",
                status_code="formal",
                type_name="Partner",
                owner=pracownik,
                created_at=w(2025, 3, 10, 0, 0),
                last_contact_at=w(2025, 3, 11, 23, 59, 59),
            ),
            "C3": f.customer(
                "Cukiernia Słodka",
                status_code="follow_up",
                type_name="Klient",
                owner=szef,
                created_at=w(2025, 3, 9, 23, 59, 59),
                last_contact_at=w(2025, 3, 10, 0, 0),
                groups=(vip,),
            ),
            "C4": f.customer(
                "Drukarnia Nova",
                status_code="current",
                type_name="Dostawca",
                owner=pracownik,
                created_at=w(2025, 3, 6, 0, 0),
                last_contact_at=w(2025, 3, 9, 23, 59, 59),
                groups=(vip,),
            ),
            "C5": f.customer(
                "Elektro-Serwis",
                status_code="new",
                owner=szef,
                created_at=w(2025, 3, 1, 0, 30),
                last_contact_at=w(2025, 3, 5, 23, 59, 59),
                followers=(szef,),
            ),
            "C6": f.customer(
                "Fabryka Mebli",
                status_code="current",
                type_name="Klient",
                created_at=w(2025, 2, 11, 0, 0),
                last_contact_at=w(2025, 2, 11, 0, 0),
            ),
            "C7": f.customer(
                "Galeria Sztuki",
                status_code="formal",
                type_name="Partner",
                owner=szef,
                created_at=w(2025, 2, 10, 23, 59, 59),
                last_contact_at=w(2025, 2, 10, 23, 59, 59),
            ),
            "C8": f.customer(
                "Hurtownia Jan",
                type_name="Klient",
                owner=pracownik,
                created_at=w(2024, 12, 1, 10, 0),
                followers=(szef, pracownik),
            ),
            "C9": f.customer(
                "Instal-Pol",
                status_obj=f.CustomerStatus.objects.get(name="Nieaktywny"),
                type_name="Konkurencja",
                owner=szef,
                created_at=w(2024, 3, 15, 12, 0),
            ),
        }
        custom = DealStatus.objects.create(name="Ocena", color="#123456", position=9)
        d = {
            "D1": f.deal(
                c["C1"],
                value="10000",
                status_code="won",
                closed_at=w(2025, 3, 12, 8, 0),
                owner=szef,
                created_at=w(2025, 1, 5, 10, 0),
                win_reason="Cena",
                category="Produkty",
                stage="Finalizacja",
            ),
            "D2": f.deal(
                c["C2"],
                value="2500.50",
                status_code="won",
                closed_at=w(2025, 3, 10, 0, 0),
                owner=pracownik,
                created_at=w(2025, 1, 6, 10, 0),
                win_reason="Jakość",
                category="Usługi",
            ),
            "D3": f.deal(
                c["C3"],
                value="4000",
                status_code="won",
                closed_at=w(2025, 3, 9, 23, 59, 59),
                owner=szef,
                created_at=w(2025, 1, 7, 10, 0),
                win_reason="Cena",
            ),
            "D4": f.deal(
                c["C4"],
                value="1000",
                currency="EUR",
                status_code="won",
                closed_at=w(2025, 3, 1, 12, 0),
                owner=pracownik,
                created_at=w(2025, 1, 8, 10, 0),
            ),
            "D5": f.deal(
                c["C6"],
                value="7000",
                status_code="won",
                closed_at=w(2025, 2, 10, 23, 59, 59),
                owner=szef,
                created_at=w(2024, 6, 1, 10, 0),
                win_reason="Relacja z klientem",
            ),
            "D6": f.deal(
                c["C7"],
                value="3000",
                status_code="won",
                closed_at=w(2024, 12, 31, 23, 30),
                owner=szef,
                created_at=w(2024, 5, 1, 10, 0),
            ),
            "D7": f.deal(
                c["C1"],
                value="1200",
                status_code="lost",
                closed_at=w(2025, 3, 11, 10, 0),
                owner=szef,
                created_at=w(2025, 2, 1, 10, 0),
                loss_reason="Za wysoka cena",
            ),
            "D8": f.deal(
                c["C2"],
                value="800",
                status_code="lost",
                closed_at=w(2025, 2, 20, 10, 0),
                owner=pracownik,
                created_at=w(2025, 2, 2, 10, 0),
                loss_reason="Brak budżetu",
            ),
            "D9": f.deal(
                c["C3"], value="5000", owner=szef, created_at=w(2025, 3, 11, 12, 0), stage="Oferta", category="Produkty"
            ),
            "D10": f.deal(
                c["C4"],
                value="3000",
                owner=pracownik,
                created_at=w(2025, 3, 6, 0, 0),
                stage="Negocjacje",
                category="Usługi",
            ),
            "D11": f.deal(c["C5"], value="2000", owner=szef, created_at=w(2025, 3, 5, 23, 59, 59), stage="Oferta"),
            "D12": f.deal(c["C6"], value="9999", status_code="postponed", owner=szef, created_at=w(2025, 3, 11, 9, 0)),
            "D13": f.deal(
                c["C8"], value="1500", status_obj=custom, created_at=w(2025, 3, 12, 9, 0), category="Abonament"
            ),
            "D14": f.deal(
                c["C9"],
                value="600",
                currency="EUR",
                owner=szef,
                created_at=w(2025, 2, 1, 10, 0),
                stage="Pierwszy kontakt",
            ),
            "D15": f.deal(
                c["C9"],
                value="100",
                status_code="won",
                closed_at=w(2025, 1, 1, 0, 30),
                owner=szef,
                created_at=w(2024, 11, 1, 10, 0),
            ),
        }
        t = {
            "T1": f.task(
                "Telefon do Apteki",
                assignee=szef,
                created_by=szef,
                due_at=w(2025, 3, 12, 14, 0),
                done=True,
                completed_at=w(2025, 3, 12, 9, 30),
                category="Telefon",
                customer_obj=c["C1"],
            ),
            "T2": f.task(
                "Spotkanie Budmax",
                assignee=szef,
                created_by=pracownik,
                starts_at=w(2025, 3, 10, 0, 0),
                due_at=w(2025, 3, 10, 1, 0),
                category="Spotkanie",
            ),
            "T3": f.task("Wysłać ofertę", assignee=szef, created_by=szef, due_at=w(2025, 3, 16, 23, 59)),
            "T4": f.task("Poza tygodniem", assignee=szef, created_by=szef, due_at=w(2025, 3, 17, 0, 0)),
            "T5": f.task("Poprzedni tydzień", assignee=szef, created_by=szef, due_at=w(2025, 3, 9, 23, 59)),
            "T6": f.task(
                "Zadanie Piotra",
                assignee=pracownik,
                created_by=szef,
                due_at=w(2025, 3, 12, 11, 0),
                done=True,
                completed_at=w(2025, 3, 11, 15, 0),
            ),
            "T7": f.task("Notatka do przemyślenia", created_by=szef, due_at=w(2025, 3, 13, 8, 0)),
            "T8": f.task("Prywatne", assignee=szef, created_by=szef, due_at=w(2025, 3, 14, 12, 0), visibility="owner"),
            "T10": f.task(
                "Stare zadanie",
                assignee=szef,
                created_by=szef,
                due_at=w(2025, 2, 1, 12, 0),
                done=True,
                completed_at=w(2025, 2, 1, 12, 0),
            ),
            "T11": f.task(
                "Prywatne Piotra",
                assignee=pracownik,
                created_by=pracownik,
                due_at=w(2025, 3, 11, 12, 0),
                done=True,
                completed_at=w(2025, 3, 11, 12, 0),
                visibility="owner",
            ),
        }
        f.note(c["C1"], author=szef, created_at=w(2025, 3, 11, 10, 0))
        f.note(c["C3"], author=szef, created_at=w(2025, 2, 1, 10, 0))
        f.note(c["C2"], author=pracownik, created_at=w(2025, 3, 5, 10, 0))
    return Known(c=c, d=d, t=t, vip=vip)


def text_of(html: bytes | str, name: str) -> str:
    """Text of the element with data-testid=name (up to its closing tag, inner tags
    stripped, whitespace collapsed; elements of the same tag must not nest inside)."""
    text = html.decode() if isinstance(html, bytes) else html
    match = re.search(rf'<(\w+)[^>]*data-testid="{re.escape(name)}"[^>]*>(.*?)</\1>', text, re.S)
    assert match, f"no element with data-testid={name}"
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", match.group(2))).strip()
