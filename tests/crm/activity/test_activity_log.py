"""Activity log: who did what and when, written by the services that make the changes."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry, ActivityKind
from crm.activity.services import activity_record
from crm.contacts.services import customer_create
from tests.crm.contacts.factories import CustomerFactory


def _entries(company, **filters):
    with schema_context(company.schema_name):
        return list(ActivityEntry.objects.filter(**filters).order_by("id"))


def test_login_and_failed_login_are_recorded_with_the_address(client_a, company_a, szef):
    client_a.post("/accounts/login/", {"login": "szef@alfa.test", "password": "zle"}, REMOTE_ADDR="198.51.100.5")
    client_a.post("/accounts/login/", {"login": "nikt@alfa.test", "password": "zle"}, REMOTE_ADDR="198.51.100.5")
    client_a.post("/accounts/login/", {"login": "szef@alfa.test", "password": "Haslo-testowe-123"})
    failed = _entries(company_a, kind=ActivityKind.LOGIN_FAILED)
    assert [(e.user_id, e.user_label, e.ip) for e in failed] == [
        (szef.pk, "szef@alfa.test", "198.51.100.5"),
        (None, "nikt@alfa.test", "198.51.100.5"),
    ]
    assert [e.user_id for e in _entries(company_a, kind=ActivityKind.LOGIN)] == [szef.pk]
    client_a.post("/accounts/logout/")
    assert [e.user_id for e in _entries(company_a, kind=ActivityKind.LOGOUT)] == [szef.pk]


def test_record_create_update_delete_is_recorded_by_the_services(client_a, company_a, szef):
    """A change made through any CRM view (here: the settings API) lands in the log with its author."""
    client_a.login_as(szef)
    created = client_a.post("/api/v1/settings/deal-stages/", {"name": "Prezentacja", "color": "#123456"}).json()
    client_a.patch(
        f"/api/v1/settings/deal-stages/{created['id']}/", {"color": "#654321"}, content_type="application/json"
    )
    client_a.delete(f"/api/v1/settings/deal-stages/{created['id']}/")
    rows = _entries(company_a, object_type="categories.dealstage", object_id=str(created["id"]))
    assert [e.kind for e in rows] == [ActivityKind.CREATE, ActivityKind.UPDATE, ActivityKind.DELETE]
    assert {e.user_id for e in rows} == {szef.pk}
    assert rows[0].object_repr == "Prezentacja"


def test_a_service_names_the_actor_it_is_given_and_raw_model_writes_log_nothing(company_a, szef):
    with schema_context(company_a.schema_name):
        CustomerFactory(name="Import bez autora")
        customer_create(actor=szef, data={"name": "Import Szefa"})
        rows = list(
            ActivityEntry.objects.filter(object_type="contacts.customer").values_list("object_repr", "user", "ip")
        )
    assert rows == [("Import Szefa", szef.pk, None)]


def test_settings_changes_name_the_fields_but_never_secret_values(client_a, company_a, szef):
    client_a.login_as(szef)
    client_a.post(
        "/settings/email/",
        {
            "smtp_host": "smtp.alfa.test",
            "smtp_port": "587",
            "smtp_security": "starttls",
            "smtp_user": "u",
            "smtp_password": "tajemnica-123",
            "smtp_from": "biuro@alfa.test",
        },
    )
    rows = _entries(company_a, kind=ActivityKind.SETTINGS)
    assert len(rows) == 1
    assert "serwer SMTP" in rows[0].message
    assert "tajemnica-123" not in rows[0].message and "smtp.alfa.test" not in rows[0].message


def test_staff_changes_are_recorded(client_a, company_a, szef, pracownik):
    client_a.login_as(szef).post(f"/settings/users/{pracownik.pk}/role/", {"role": "kierownik"})
    rows = _entries(company_a, kind=ActivityKind.STAFF)
    assert len(rows) == 1
    assert rows[0].object_repr == "Piotr Pracownik" and "Kierownik" in rows[0].message


def test_exports_are_recorded_through_the_public_helper(company_a, szef):
    with schema_context(company_a.schema_name):
        entry = activity_record(actor=szef, kind="export", message="Eksport klientów do CSV (120 wierszy).")
    assert entry is not None and entry.kind == ActivityKind.EXPORT and entry.user_id == szef.pk


def test_the_helper_does_nothing_on_the_public_schema():
    assert activity_record(actor=None, kind="export", message="x") is None


def _seed(company, szef, pracownik):
    now = timezone.now()
    with schema_context(company.schema_name):
        ActivityEntry.objects.bulk_create(
            [
                ActivityEntry(created_at=now - timedelta(days=10), user=szef, user_label=szef.email, kind="login"),
                ActivityEntry(
                    created_at=now - timedelta(days=1),
                    user=pracownik,
                    user_label=pracownik.email,
                    kind="create",
                    object_repr='=HYPERLINK("x")',
                ),
                ActivityEntry(
                    created_at=now, user=pracownik, user_label=pracownik.email, kind="export", message="Eksport"
                ),
            ]
        )
    return now


def _table(response) -> str:
    return response.content.decode().split('data-testid="activity-table"', 1)[1].split("</table>", 1)[0]


def test_log_page_filters_by_user_kind_and_date(client_a, company_a, szef, pracownik):
    now = _seed(company_a, szef, pracownik)
    client_a.login_as(szef)
    everything = _table(client_a.get("/settings/activity/"))
    assert "Anna Szef" in everything and "Piotr Pracownik" in everything
    by_user = _table(client_a.get("/settings/activity/", {"user": pracownik.pk}))
    assert "Piotr Pracownik" in by_user and "Anna Szef" not in by_user
    by_kind = _table(client_a.get("/settings/activity/", {"kind": "login"}))
    assert "Logowanie" in by_kind and "Eksport" not in by_kind
    day = timezone.localdate(now - timedelta(days=10)).isoformat()
    by_date = _table(client_a.get("/settings/activity/", {"date_from": day, "date_to": day}))
    assert "Logowanie" in by_date and "Eksport" not in by_date and "Utworzenie" not in by_date
    bad = client_a.get("/settings/activity/", {"date_from": "2025-02-10", "date_to": "2025-02-01"})
    assert bad.status_code == 400
    assert "Data końcowa jest wcześniejsza" in bad.content.decode()


def test_csv_export_follows_the_filters_defuses_formulas_and_is_itself_logged(client_a, company_a, szef, pracownik):
    _seed(company_a, szef, pracownik)
    client_a.login_as(szef)
    response = client_a.get("/settings/activity/export.csv", {"user": pracownik.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Kiedy", "Użytkownik", "Rodzaj"]
    assert {r[1] for r in rows[1:]} == {"pracownik@alfa.test"}
    assert any(r[4] == '\'=HYPERLINK("x")' for r in rows[1:])
    logged = _entries(company_a, kind=ActivityKind.EXPORT, user=szef)
    assert len(logged) == 1


def test_api_lists_the_log_for_szef_only(client_a, company_a, szef, pracownik):
    _seed(company_a, szef, pracownik)
    client_a.login_as(szef)
    rows = client_a.get("/api/v1/settings/activity/", {"kind": "export"}).json()["results"]
    assert [r["kind"] for r in rows] == ["export"]
    assert client_a.login_as(pracownik).get("/api/v1/settings/activity/").status_code == 403
    assert client_a.get("/settings/activity/").status_code == 403


def test_company_b_log_is_separate(client_b, outsider, company_a, szef, pracownik):
    _seed(company_a, szef, pracownik)
    html = client_b.login_as(outsider).get("/settings/activity/").content.decode()
    assert "pracownik@alfa.test" not in html
