"""Announcements from Szef: shown on every staff member's home page until that person
dismisses it, only between its dates; written by Szef only."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tenants.utils import schema_context

from crm.kb.models import Announcement
from tests.crm.kb.factories import announcement_make


def test_an_announcement_is_shown_on_the_home_page_until_dismissed_per_person(
    client_a, szef, pracownik, kierownik, company_a
):
    with schema_context(company_a.schema_name):
        item = announcement_make(title="Wigilia firmowa", body="W piątek")

    client_a.login_as(pracownik)
    first = client_a.get("/").content.decode()
    dismissed = client_a.post(f"/knowledge/announcements/{item.pk}/dismiss/", HTTP_HX_REQUEST="true")
    again = client_a.get("/").content.decode()
    other = client_a.login_as(kierownik).get("/").content.decode()

    assert "Wigilia firmowa" in first and "<p>W piątek</p>" in first
    assert dismissed.status_code == 200 and dismissed.content == b""
    assert "Wigilia firmowa" not in again
    assert "Wigilia firmowa" in other  # dismissed by one person only
    assert "Wigilia firmowa" in client_a.get("/knowledge/announcements/").content.decode()  # the list keeps it


def test_only_current_announcements_are_shown(client_a, pracownik, company_a):
    today = timezone.localdate()
    with schema_context(company_a.schema_name):
        announcement_make(title="Przyszłe", shown_until=None, days_ago=-3)
        announcement_make(title="Minione", days_ago=10, shown_until=today - datetime.timedelta(days=1))
        announcement_make(title="Bieżące", days_ago=1, shown_until=today)

    html = client_a.login_as(pracownik).get("/").content.decode()

    assert "Bieżące" in html and "Przyszłe" not in html and "Minione" not in html


def test_szef_writes_announcements_with_a_form_and_others_may_not(client_a, szef, kierownik, company_a):
    client_a.login_as(kierownik)
    assert client_a.get("/knowledge/announcements/new/").status_code == 403
    assert "Nowe ogłoszenie" not in client_a.get("/knowledge/announcements/").content.decode()

    client_a.login_as(szef)
    bad = client_a.post(
        "/knowledge/announcements/new/", {"title": "Urlopy", "shown_from": "2026-05-10", "shown_until": "2026-05-01"}
    )
    good = client_a.post("/knowledge/announcements/new/", {"title": "Urlopy", "shown_from": "2026-05-10"})

    assert bad.status_code == 400
    assert "Data końca nie może być wcześniejsza niż data początku." in bad.content.decode()
    assert good.status_code == 302
    with schema_context(company_a.schema_name):
        assert list(Announcement.objects.values_list("title", flat=True)) == ["Urlopy"]


def test_a_pracownik_cannot_change_or_delete_an_announcement(client_a, pracownik, company_a):
    with schema_context(company_a.schema_name):
        item = announcement_make(title="Stałe")
    client_a.login_as(pracownik)

    assert client_a.get(f"/knowledge/announcements/{item.pk}/").status_code == 403
    assert client_a.post(f"/knowledge/announcements/{item.pk}/delete/").status_code == 403
    with schema_context(company_a.schema_name):
        assert Announcement.objects.filter(title="Stałe").exists()
