"""Sample knowledge base and an announcement of the demo company (called from
crm/demo/seed.py): two groups, public and internal articles.

Idempotent: does nothing once the company has any article group.
"""

from __future__ import annotations

from django.utils import timezone

from crm.kb.models import Announcement, ArticleGroup
from crm.kb.services import announcement_create, article_create, group_create

ARTICLES: list[tuple[str, str, bool, str]] = [
    (
        "Jak zalogować się do panelu klienta?",
        "klienci",
        True,
        "Otwórz adres panelu i podaj **e-mail** oraz hasło, które dostałeś od nas.\n\n"
        "1. Nie pamiętasz hasła? Kliknij *Nie pamiętam hasła*.\n2. Link ważny jest 24 godziny.",
    ),
    (
        "Terminy płatności i faktury",
        "klienci",
        True,
        "Faktury wysyłamy e-mailem w dniu wystawienia. Termin płatności to **14 dni**.\n\n"
        "Pytania: [napisz do nas](mailto:biuro@demo.test).",
    ),
    (
        "Procedura zwrotu sprzętu",
        "wewnetrzne",
        False,
        "## Kroki\n\n- sprawdź numer seryjny,\n- wystaw korektę,\n- zgłoś zwrot w magazynie.",
    ),
    (
        "Żółw – cennik usług serwisowych",
        "wewnetrzne",
        False,
        "Stawki godzinowe serwisu: *250 zł netto* w dni robocze, *400 zł netto* w weekendy.",
    ),
]


def kb_demo_seed() -> int:
    """Create the sample groups, articles and an announcement; returns how many articles."""
    if ArticleGroup.objects.exists():
        return 0
    groups = {
        "klienci": group_create(actor=None, name="Dla klientów", slug="klienci", position=1),
        "wewnetrzne": group_create(actor=None, name="Wewnętrzne", slug="wewnetrzne", position=2),
    }
    for position, (title, group, public, body) in enumerate(ARTICLES, start=1):
        article_create(actor=None, title=title, group=groups[group], body=body, public=public, position=position)
    if not Announcement.objects.exists():
        announcement_create(
            actor=None,
            title="Nowa baza wiedzy",
            body="Zajrzyj do **Bazy wiedzy** w menu: procedury i odpowiedzi dla klientów w jednym miejscu.",
            shown_from=timezone.localdate(),
        )
    return len(ARTICLES)
