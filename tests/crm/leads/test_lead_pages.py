"""The lead pages: the list with filters and sort, the board and its drag and drop, the
form with errors next to the fields, the card with the conversion, deleting to the
trash, the export; another company's lead is a 404 on every page, a Pracownik changes
only his own, a restricted one sees only his own."""

from __future__ import annotations

import csv
import io

from django_tenants.utils import schema_context

from crm.contacts.models import Customer
from crm.leads.models import Lead, LeadStatus, LeadStatusCode
from crm.sales.models import Deal
from crm.trash.models import TrashEntry
from tests.crm.leads.factories import lead_make


def _urls(lead: Lead) -> list[str]:
    pk = lead.pk
    return [f"/leads/{pk}/", f"/leads/{pk}/edit/", f"/leads/{pk}/delete/"]


def _post_urls(lead: Lead) -> list[str]:
    pk = lead.pk
    return [
        f"/leads/{pk}/edit/",
        f"/leads/{pk}/delete/",
        f"/leads/{pk}/convert/",
        f"/leads/{pk}/move/",
        f"/leads/{pk}/tasks/add/",
        f"/notes/lead/{pk}/notes/add/",
    ]


def test_the_list_filters_by_status_and_text_and_sorts(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        second = LeadStatus.objects.filter(code="").order_by("position")[1]
        lead_make(actor=szef, name="Adam Bąk", company_name="Bąk Okna", value=10)
        lead_make(actor=szef, name="Zofia Żak", company_name="Żak Drzwi", value=90, status=second)
    client_a.login_as(szef)

    everything = client_a.get("/leads/").content.decode()
    by_status = client_a.get("/leads/", {"status": second.pk}).content.decode()
    by_text = client_a.get("/leads/", {"q": "okna"}).content.decode()
    by_value = client_a.get("/leads/", {"sort": "-value"}).content.decode()

    assert "Adam Bąk" in everything and "Zofia Żak" in everything
    assert "Zofia Żak" in by_status and "Adam Bąk" not in by_status
    assert "Adam Bąk" in by_text and "Zofia Żak" not in by_text
    assert by_value.index("Zofia Żak") < by_value.index("Adam Bąk")


def test_creating_a_lead_on_the_page(client_a, szef, company_a):
    client_a.login_as(szef)
    with schema_context(company_a.schema_name):
        status = LeadStatus.objects.filter(code="").first()

    response = client_a.post(
        "/leads/new/",
        {
            "name": "Ewa Lis",
            "company_name": "Lis Meble",
            "email": "ewa@lis.test",
            "status": status.pk,
            "value": "100",
            "owner": szef.pk,
        },
    )

    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        lead = Lead.objects.get()
        assert (lead.name, lead.company_name, lead.owner) == ("Ewa Lis", "Lis Meble", szef)


def test_a_lost_lead_without_a_reason_shows_the_error_next_to_the_field(client_a, szef, company_a):
    client_a.login_as(szef)
    with schema_context(company_a.schema_name):
        lost = LeadStatus.objects.get(code=LeadStatusCode.LOST)

    response = client_a.post("/leads/new/", {"name": "Ewa Lis", "status": lost.pk, "value": "0"})

    assert response.status_code == 400
    assert "Podaj powód utraty leada." in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not Lead.objects.exists()


def test_converting_on_the_card_creates_the_customer_and_a_deal(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        lead = lead_make(actor=szef, value=500)
    client_a.login_as(szef)

    card = client_a.get(f"/leads/{lead.pk}/").content.decode()
    response = client_a.post(
        f"/leads/{lead.pk}/convert/", {"create_deal": "on", "deal_name": "Okna dla Kowalskiego", "deal_value": "700"}
    )

    assert 'data-testid="lead-convert"' in card
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        customer = Customer.objects.get()
        assert response["Location"] == f"/customers/{customer.pk}/"
        assert Deal.objects.get().name == "Okna dla Kowalskiego"
    again = client_a.get(f"/leads/{lead.pk}/").content.decode()
    assert 'data-testid="lead-converted"' in again and 'data-testid="lead-convert"' not in again


def test_converting_twice_on_the_page_shows_why(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        lead = lead_make(actor=szef)
    client_a.login_as(szef)
    client_a.post(f"/leads/{lead.pk}/convert/", {})

    again = client_a.post(f"/leads/{lead.pk}/convert/", {"create_deal": "on"})

    assert again.status_code == 400
    assert "Konwersji nie można powtórzyć." in again.content.decode()
    with schema_context(company_a.schema_name):
        assert Customer.objects.count() == 1 and not Deal.objects.exists()


def test_the_board_shows_a_column_per_status_and_moves_a_card(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        lead = lead_make(actor=szef, name="Karta Leada")
        second = LeadStatus.objects.filter(code="").order_by("position")[1]
        lost = LeadStatus.objects.get(code=LeadStatusCode.LOST)
    client_a.login_as(szef)

    board = client_a.get("/leads/board/").content.decode()
    moved = client_a.post(f"/leads/{lead.pk}/move/", {"status": second.pk})
    refused = client_a.post(f"/leads/{lead.pk}/move/", {"status": lost.pk})
    bad = client_a.post(f"/leads/{lead.pk}/move/", {"status": "abc"})

    assert "Karta Leada" in board and f'data-testid="lead-column-{lost.pk}"' in board
    assert moved.json() == {"ok": True, "status": second.pk}
    assert refused.status_code == 400 and "powód utraty" in refused.json()["error"]
    assert bad.status_code == 400
    with schema_context(company_a.schema_name):
        assert Lead.objects.get(pk=lead.pk).status == second


def test_the_export_gives_csv_and_xlsx_of_the_filtered_list(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        lead_make(actor=szef, name="Eksport Pierwszy")
        lead_make(actor=szef, name="Drugi", company_name="Inna")
    client_a.login_as(szef)

    response = client_a.get("/leads/export/", {"q": "pierwszy"})
    xlsx = client_a.get("/leads/export/", {"format": "xlsx"})

    text = (
        b"".join(response.streaming_content).decode("utf-8-sig")
        if response.streaming
        else response.content.decode("utf-8-sig")
    )
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Imię i nazwisko" and [row[0] for row in rows[1:]] == ["Eksport Pierwszy"]
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_a_deleted_lead_goes_to_the_trash(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        lead = lead_make(actor=szef)
    client_a.login_as(szef)

    response = client_a.post(f"/leads/{lead.pk}/delete/")

    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        assert not Lead.objects.exists() and TrashEntry.objects.count() == 1


def test_the_global_search_finds_a_lead(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        lead_make(actor=szef, name="Bogumiła Szukana")
    client_a.login_as(szef)

    found = client_a.get("/search/", {"q": "szukana"}).content.decode()

    assert "Bogumiła Szukana" in found


def test_every_lead_page_is_a_404_for_another_company(client_b, outsider, company_a, szef):
    with schema_context(company_a.schema_name):
        lead = lead_make(actor=szef)
        status = LeadStatus.objects.first()
    client_b.login_as(outsider)

    for url in _urls(lead):
        assert client_b.get(url).status_code == 404, url
    for url in _post_urls(lead):
        assert client_b.post(url, {"status": status.pk, "name": "X"}).status_code == 404, url
    with schema_context(company_a.schema_name):
        assert Lead.objects.get(pk=lead.pk).converted_at is None


def test_a_pracownik_sees_but_cannot_change_a_colleagues_lead(client_a, pracownik, szef, company_a):
    with schema_context(company_a.schema_name):
        lead = lead_make(actor=szef)
        status = LeadStatus.objects.filter(code="").order_by("position")[1]
    client_a.login_as(pracownik)

    assert client_a.get(f"/leads/{lead.pk}/").status_code == 200
    for url in _urls(lead)[1:]:
        assert client_a.get(url).status_code == 403, url
    assert client_a.post(f"/leads/{lead.pk}/convert/", {}).status_code == 403
    assert client_a.post(f"/leads/{lead.pk}/move/", {"status": status.pk}).status_code == 403
    with schema_context(company_a.schema_name):
        assert Lead.objects.get(pk=lead.pk).converted_at is None
        assert not Customer.objects.exists()


def test_a_kierownik_changes_a_colleagues_lead(client_a, kierownik, pracownik, company_a):
    with schema_context(company_a.schema_name):
        lead = lead_make(actor=pracownik)
    client_a.login_as(kierownik)

    assert client_a.get(f"/leads/{lead.pk}/edit/").status_code == 200
    assert client_a.post(f"/leads/{lead.pk}/convert/", {}).status_code == 302


def test_a_restricted_pracownik_sees_only_his_own_leads(client_a, restricted_pracownik, szef, company_a):
    with schema_context(company_a.schema_name):
        colleagues = lead_make(actor=szef, name="Lead Szefa")
        own = lead_make(actor=restricted_pracownik, name="Mój lead")
    client_a.login_as(restricted_pracownik)

    listed = client_a.get("/leads/").content.decode()
    board = client_a.get("/leads/board/").content.decode()

    assert "Mój lead" in listed and "Lead Szefa" not in listed
    assert "Mój lead" in board and "Lead Szefa" not in board
    assert client_a.get(f"/leads/{own.pk}/").status_code == 200
    assert client_a.get(f"/leads/{colleagues.pk}/").status_code == 404


def test_settings_list_the_lead_statuses_for_szef_only(client_a, szef, pracownik, company_a):
    client_a.login_as(szef)
    page = client_a.get("/settings/leads/").content.decode()
    client_a.login_as(pracownik)
    refused = client_a.get("/settings/leads/")

    assert "Skonwertowany" in page and "Utracony" in page
    assert refused.status_code == 403


def test_a_task_added_on_the_card_is_listed_and_an_empty_title_is_refused(client_a, szef, company_a):
    from crm.tasks.models import Task

    with schema_context(company_a.schema_name):
        lead = lead_make(actor=szef)
    client_a.login_as(szef)

    added = client_a.post(f"/leads/{lead.pk}/tasks/add/", {"title": "Wysłać katalog"})
    refused = client_a.post(f"/leads/{lead.pk}/tasks/add/", {"title": " "})
    card = client_a.get(f"/leads/{lead.pk}/").content.decode()

    assert added.status_code == 302 and refused.status_code == 400
    assert "Wysłać katalog" in card
    with schema_context(company_a.schema_name):
        assert Task.objects.filter(lead=lead).count() == 1


def test_a_note_can_be_added_on_the_lead_card(client_a, szef, company_a):
    from crm.notes.models import Note

    with schema_context(company_a.schema_name):
        lead = lead_make(actor=szef)
    client_a.login_as(szef)

    response = client_a.post(f"/notes/lead/{lead.pk}/notes/add/", {"body": "Pierwszy kontakt", "kind": "note"})

    assert response.status_code in (200, 302)
    with schema_context(company_a.schema_name):
        assert Note.objects.get(lead=lead).body == "Pierwszy kontakt"
