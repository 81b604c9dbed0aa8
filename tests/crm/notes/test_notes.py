from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from crm.notes.models import Note, TimelineEvent
from tests.crm.contacts.factories import CustomerFactory, deal_make, task_make
from tests.crm.notes.factories import NoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(company_a, szef):
    with schema_context(company_a.schema_name):
        return CustomerFactory(owner=szef, name="Łódzka Hurtownia Sp. z o.o.")


def test_szef_adds_a_note_to_a_customer_and_sees_it_in_the_panel(client_a, szef, customer, company_a):
    client_a.login_as(szef)
    response = client_a.post(
        f"/notes/customer/{customer.pk}/notes/add/", {"body": "Dzwonił w sprawie oferty."}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Dzwonił w sprawie oferty." in response.content.decode()
    with schema_context(company_a.schema_name):
        note = Note.objects.get()
        assert note.author == szef
        assert note.customer_id == customer.pk


def test_empty_note_is_refused_with_a_message_and_nothing_is_saved(client_a, szef, customer, company_a):
    client_a.login_as(szef)
    response = client_a.post(f"/notes/customer/{customer.pk}/notes/add/", {"body": "   "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "Wpisz treść notatki." in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not Note.objects.exists()


def test_editing_a_note_keeps_the_previous_wording_in_its_history(client_a, szef, customer, company_a):
    client_a.login_as(szef)
    client_a.post(f"/notes/customer/{customer.pk}/notes/add/", {"body": "Pierwsza wersja"})
    with schema_context(company_a.schema_name):
        note = Note.objects.get()
    response = client_a.post(f"/notes/note/{note.pk}/edit/", {"body": "Druga wersja"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    client_a.post(f"/notes/note/{note.pk}/edit/", {"body": "Trzecia wersja"})

    history = client_a.get(f"/notes/note/{note.pk}/history/").content.decode()

    assert "Trzecia wersja" in history
    assert "Druga wersja" in history
    assert "Pierwsza wersja" in history
    with schema_context(company_a.schema_name):
        note.refresh_from_db()
        assert note.body == "Trzecia wersja"
        assert list(note.revisions.values_list("body", flat=True)) == ["Druga wersja", "Pierwsza wersja"]
        assert note.edited_by == szef


def test_pracownik_cannot_edit_or_delete_someone_elses_note(client_a, szef, pracownik, customer, company_a):
    client_a.login_as(szef)
    client_a.post(f"/notes/customer/{customer.pk}/notes/add/", {"body": "Notatka szefa"})
    with schema_context(company_a.schema_name):
        note = Note.objects.get()
    client_a.login_as(pracownik)

    assert client_a.post(f"/notes/note/{note.pk}/edit/", {"body": "zmiana"}).status_code == 403
    assert client_a.post(f"/notes/note/{note.pk}/delete/").status_code == 403
    with schema_context(company_a.schema_name):
        assert Note.objects.get().body == "Notatka szefa"


def test_author_deletes_own_note(client_a, pracownik, customer, company_a):
    client_a.login_as(pracownik)
    client_a.post(f"/notes/customer/{customer.pk}/notes/add/", {"body": "Moja notatka"})
    with schema_context(company_a.schema_name):
        note = Note.objects.get()
    response = client_a.post(f"/notes/note/{note.pk}/delete/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    with schema_context(company_a.schema_name):
        assert not Note.objects.exists()


def test_notes_on_deals_and_tasks_reach_the_customers_timeline_data(client_a, szef, customer, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(customer, owner=szef)
        task = task_make(customer=customer, assignee=szef)
    client_a.login_as(szef)
    assert client_a.post(f"/notes/deal/{deal.pk}/notes/add/", {"body": "O szansie"}).status_code == 302
    assert client_a.post(f"/notes/task/{task.pk}/notes/add/", {"body": "O zadaniu"}).status_code == 302
    panel = client_a.get(f"/notes/deal/{deal.pk}/notes/").content.decode()
    assert "O szansie" in panel
    assert "O zadaniu" not in panel
    with schema_context(company_a.schema_name):
        assert set(Note.objects.filter(customer=customer).values_list("body", flat=True)) == {"O szansie", "O zadaniu"}


def test_the_reusable_partial_renders_notes_and_files_for_a_deal(rf, szef, customer, company_a):
    from django.template.loader import render_to_string

    with schema_context(company_a.schema_name):
        deal = deal_make(customer, owner=szef)
        NoteFactory(deal=deal, customer=customer, body="Widoczna w panelu", author=szef)
        request = rf.get(f"/deals/{deal.pk}/")
        request.user = szef
        request.htmx = False
        html = render_to_string("notes/_panel.html", {"deal": deal, "request": request})
    assert "Widoczna w panelu" in html
    assert f"/notes/deal/{deal.pk}/files/upload/" in html


def test_restricted_pracownik_gets_404_for_notes_of_customers_they_do_not_own(
    client_a, pracownik, customer, company_a, restricted_pracownik
):
    with schema_context(company_a.schema_name):
        note = NoteFactory(customer=customer, body="Tajne", author=None)
    client_a.login_as(pracownik)
    assert client_a.get(f"/notes/customer/{customer.pk}/notes/").status_code == 404
    assert client_a.post(f"/notes/customer/{customer.pk}/notes/add/", {"body": "x"}).status_code == 404
    assert client_a.get(f"/notes/note/{note.pk}/history/").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/notes/customer/{c}/notes/"),
        ("get", "/notes/customer/{c}/files/"),
        ("post", "/notes/customer/{c}/notes/add/"),
        ("post", "/notes/customer/{c}/files/upload/"),
        ("post", "/notes/note/{n}/edit/"),
        ("get", "/notes/note/{n}/history/"),
        ("post", "/notes/note/{n}/delete/"),
        ("get", "/notes/deal/{d}/notes/"),
        ("get", "/notes/task/{t}/notes/"),
    ],
)
def test_outsider_gets_404_for_every_notes_endpoint(client_b, outsider, customer, company_a, szef, method, path):
    with schema_context(company_a.schema_name):
        note = NoteFactory(customer=customer, body="Alfa", author=szef)
        deal = deal_make(customer, owner=szef)
        task = task_make(customer=customer, assignee=szef)
    client_b.login_as(outsider)
    url = path.format(c=customer.pk, n=note.pk, d=deal.pk, t=task.pk)
    response = getattr(client_b, method)(url, {"body": "x"} if method == "post" else None)
    assert response.status_code == 404


def test_anonymous_is_sent_to_login(client_a, customer):
    response = client_a.get(f"/notes/customer/{customer.pk}/notes/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_kierownik_may_edit_anyones_note(client_a, szef, kierownik, customer, company_a):
    with schema_context(company_a.schema_name):
        note = NoteFactory(customer=customer, body="Stare", author=szef)
    client_a.login_as(kierownik)
    assert client_a.post(f"/notes/note/{note.pk}/edit/", {"body": "Nowe"}).status_code == 302
    with schema_context(company_a.schema_name):
        assert Note.objects.get().body == "Nowe"


def test_panel_shows_the_newest_notes_and_all_of_them_on_request(client_a, szef, customer, company_a):
    with schema_context(company_a.schema_name):
        for i in range(25):
            NoteFactory(customer=customer, body=f"Notatka numer {i:02d}", author=szef)
    client_a.login_as(szef)
    first = client_a.get(f"/notes/customer/{customer.pk}/notes/").content.decode()
    assert "Notatka numer 24" in first
    assert "Notatka numer 04" not in first
    assert "Pokaż wszystkie notatki" in first
    everything = client_a.get(f"/notes/customer/{customer.pk}/notes/?all=1").content.decode()
    assert "Notatka numer 00" in everything
    assert "Pokaż wszystkie notatki" not in everything


def test_timeline_mixes_every_kind_newest_first_and_pages_back_without_gaps(client_a, szef, customer, company_a):
    """Notes, changes, deals and tasks interleave by time; "Pokaż starsze" shows the
    next ones, each entry exactly once."""
    with schema_context(company_a.schema_name):
        start = timezone.now() - timedelta(days=200)
        made = []
        for i in range(50):  # kinds in turn, one hour apart: entry i is the i-th oldest
            when = start + timedelta(hours=i)
            kind = i % 4
            if kind == 0:
                row = NoteFactory(customer=customer, body=f"wpis-{i:02d}", author=szef)
            elif kind == 1:
                row = TimelineEvent.objects.create(customer=customer, kind="x", message=f"wpis-{i:02d}", actor=szef)
            elif kind == 2:
                row = deal_make(customer, owner=szef, name=f"wpis-{i:02d}")
            else:
                row = task_make(customer=customer, assignee=szef, title=f"wpis-{i:02d}")
            type(row).objects.filter(pk=row.pk).update(created_at=when)
            made.append(f"wpis-{i:02d}")
    client_a.login_as(szef)

    first = client_a.get(f"/customers/{customer.pk}/?tab=timeline").content.decode()
    more = client_a.get(f"/customers/{customer.pk}/?tab=timeline&more=80").content.decode()

    shown = re.findall(r"wpis-\d\d", first)
    assert shown == sorted(set(shown), reverse=True)  # newest first, each once
    assert shown == made[::-1][:40]
    assert "Pokaż starsze" in first
    assert re.findall(r"wpis-\d\d", more) == made[::-1]
    assert "Pokaż starsze" not in more
