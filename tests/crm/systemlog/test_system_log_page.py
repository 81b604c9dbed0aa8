"""Settings > Dziennik systemowy: Szef reads what failed in the background, filters it and
exports it; other ranks and other companies do not."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from crm.systemlog.models import SystemEvent, SystemEventKind
from crm.systemlog.services import system_event_record
from tests.support.clients import api_client_for


def _record(company, kind, message, **kwargs):
    with schema_context(company.schema_name):
        assert system_event_record(kind=kind, message=message, **kwargs)


def _age(company, message, days):
    with schema_context(company.schema_name):
        SystemEvent.objects.filter(message=message).update(created_at=timezone.now() - timedelta(days=days))


def test_szef_sees_failed_emails_with_the_server_answer(client_a, company_a, szef):
    _record(company_a, SystemEventKind.EMAIL_FAILED, "Nie wysłano oferty", detail="550 5.1.1 No such user here")
    client_a.login_as(szef)
    response = client_a.get("/settings/system-log/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nie wysłano oferty" in html and "550 5.1.1 No such user here" in html
    assert "Nieudana wysyłka e-maila" in html
    assert 'href="/settings/system-log/"' in client_a.get("/settings/").content.decode()  # in the Settings menu


def test_kierownik_and_pracownik_are_refused(client_a, kierownik, pracownik):
    for user in (kierownik, pracownik):
        client_a.login_as(user)
        assert client_a.get("/settings/system-log/").status_code == 403
        assert client_a.get("/settings/system-log/export.csv").status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client_a):
    response = client_a.get("/settings/system-log/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_company_never_sees_these_events(client_a, client_b, company_a, szef, outsider):
    _record(company_a, SystemEventKind.BACKUP_FAILED, "Kopia Alfy nieudana")
    client_b.login_as(outsider)
    assert "Kopia Alfy nieudana" not in client_b.get("/settings/system-log/").content.decode()
    exported = b"".join(client_b.get("/settings/system-log/export.csv").streaming_content).decode("utf-8-sig")
    assert "Kopia Alfy nieudana" not in exported
    # B's session is worth nothing on A's host.
    on_a = Client(HTTP_HOST=f"alfa.{settings.IMCRM_BASE_DOMAIN}")
    on_a.cookies = client_b.cookies
    assert on_a.get("/settings/system-log/").status_code == 302


def test_filters_by_kind_level_and_period(client_a, company_a, szef):
    _record(company_a, SystemEventKind.IMPORT_PARTIAL, "Import z pominięciami")
    _record(company_a, SystemEventKind.KSEF_REJECTED, "KSeF odrzucił FV/1")
    _record(company_a, SystemEventKind.JOB_FAILED, "Stare zadanie")
    _age(company_a, "Stare zadanie", 10)
    client_a.login_as(szef)

    def shown(**query):
        return {
            m
            for m in ("Import z pominięciami", "KSeF odrzucił FV/1", "Stare zadanie")
            if m in client_a.get("/settings/system-log/", query).content.decode()
        }

    assert shown() == {"Import z pominięciami", "KSeF odrzucił FV/1", "Stare zadanie"}
    assert shown(kind="ksef_rejected") == {"KSeF odrzucił FV/1"}
    assert shown(level="warning") == {"Import z pominięciami"}
    today = timezone.localdate()
    assert shown(date_from=(today - timedelta(days=1)).isoformat()) == {"Import z pominięciami", "KSeF odrzucił FV/1"}
    assert shown(date_to=(today - timedelta(days=5)).isoformat()) == {"Stare zadanie"}


def test_a_backwards_period_or_an_unknown_kind_is_a_400_with_the_reason(client_a, szef):
    client_a.login_as(szef)
    backwards = client_a.get("/settings/system-log/", {"date_from": "2026-05-10", "date_to": "2026-05-01"})
    assert backwards.status_code == 400
    assert "Data końcowa jest wcześniejsza niż początkowa." in backwards.content.decode()
    assert client_a.get("/settings/system-log/", {"kind": "nonsense"}).status_code == 400
    export = client_a.get("/settings/system-log/export.csv", {"date_from": "2026-05-10", "date_to": "2026-05-01"})
    assert export.status_code == 400
    assert "Data końcowa jest wcześniejsza" in export.content.decode()


def test_the_page_is_paginated(client_a, company_a, szef):
    for n in range(55):
        _record(company_a, SystemEventKind.WEBHOOK_FAILED, f"Webhook numer {n:02d}")
    client_a.login_as(szef)
    first = client_a.get("/settings/system-log/").content.decode()
    second = client_a.get("/settings/system-log/", {"page": 2}).content.decode()
    assert "Webhook numer 54" in first and "Webhook numer 00" not in first
    assert "Webhook numer 00" in second and "Webhook numer 54" not in second


def test_csv_export_has_the_filtered_events_and_neutralises_formulas(client_a, company_a, szef):
    _record(company_a, SystemEventKind.EMAIL_FAILED, '=HYPERLINK("http://x")', detail="550 refused")
    _record(company_a, SystemEventKind.BACKUP_DONE, "Kopia gotowa")
    client_a.login_as(szef)
    response = client_a.get("/settings/system-log/export.csv", {"kind": "email_failed"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Kiedy", "Rodzaj", "Poziom", "Opis"]
    assert len(rows) == 2
    assert rows[1][1:4] == ["Nieudana wysyłka e-maila", "Błąd", '\'=HYPERLINK("http://x")']
    assert rows[1][6] == "550 refused"


def test_api_lists_the_log_for_szef_only_with_the_same_filters(company_a, szef, pracownik, kierownik):
    _record(company_a, SystemEventKind.KSEF_REJECTED, "KSeF odrzucił FV/2", detail="Błąd semantyki")
    _record(company_a, SystemEventKind.BACKUP_DONE, "Kopia gotowa")
    api = api_client_for(company_a, szef)
    body = api.get("/api/v1/settings/system-log/", {"kind": "ksef_rejected"}).json()
    assert [(r["kind"], r["level"], r["message"], r["detail"]) for r in body["results"]] == [
        ("ksef_rejected", "error", "KSeF odrzucił FV/2", "Błąd semantyki")
    ]
    event_id = body["results"][0]["id"]
    assert api.get(f"/api/v1/settings/system-log/{event_id}/").status_code == 200
    backwards = api.get("/api/v1/settings/system-log/", {"date_from": "2026-05-10", "date_to": "2026-05-01"})
    assert backwards.status_code == 400 and "date_to" in backwards.json()
    assert api.post("/api/v1/settings/system-log/", {"kind": "backup_done"}).status_code == 405
    for user in (pracownik, kierownik):
        assert api_client_for(company_a, user).get("/api/v1/settings/system-log/").status_code == 403


def test_api_of_another_company_does_not_know_these_events(company_a, company_b, outsider):
    _record(company_a, SystemEventKind.JOB_FAILED, "Zadanie Alfy")
    with schema_context(company_a.schema_name):
        event_id = SystemEvent.objects.get().pk
    api = api_client_for(company_b, outsider)
    assert api.get(f"/api/v1/settings/system-log/{event_id}/").status_code == 404
    assert api.get("/api/v1/settings/system-log/").json()["results"] == []
