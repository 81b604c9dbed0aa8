"""Mój kosz (/trash/): anybody brings back what he deleted or what was his; never what
was somebody else's, and never another company's."""

from __future__ import annotations

from crm.sales.models import Deal
from crm.tasks.models import Task
from crm.trash.models import TrashEntry
from tests.crm.contacts.factories import CustomerFactory, deal_make, task_make


def _table(response) -> str:
    return response.content.decode().split('data-testid="trash-table"', 1)[1].split("</table>", 1)[0]


def test_pracownik_restores_his_own_deleted_task_from_his_trash(client_a, pracownik, in_a):
    with in_a():
        task = task_make(title="Zadzwonić do Śrubexu", assignee=pracownik, created_by=pracownik)
    client_a.login_as(pracownik)
    assert client_a.post(f"/tasks/{task.pk}/delete/").status_code in (200, 302)
    with in_a():
        entry = TrashEntry.objects.get()

    assert "Zadzwonić do Śrubexu" in _table(client_a.get("/trash/"))
    restored = client_a.post(f"/trash/{entry.pk}/restore/")

    assert restored.status_code == 302 and restored["Location"] == f"/tasks/{task.pk}/"
    with in_a():
        assert Task.objects.filter(pk=task.pk, title="Zadzwonić do Śrubexu").exists()
        assert not TrashEntry.objects.exists()


def test_the_owner_sees_his_deal_deleted_by_szef_and_others_do_not(client_a, szef, pracownik, kierownik, in_a):
    with in_a():
        deal = deal_make(CustomerFactory(name="Śrubex"), name="Dostawa śrub", owner=pracownik)
        other = deal_make(CustomerFactory(name="Kotex"), name="Cudza szansa", owner=kierownik)
    client_a.login_as(szef)
    for pk in (deal.pk, other.pk):
        assert client_a.post(f"/deals/{pk}/delete/").status_code == 302
    with in_a():
        mine = TrashEntry.objects.get(object_pk=deal.pk, record_key="deal")
        theirs = TrashEntry.objects.get(object_pk=other.pk, record_key="deal")

    client_a.login_as(pracownik)
    page = _table(client_a.get("/trash/"))
    assert "Dostawa śrub" in page and "Cudza szansa" not in page
    assert client_a.post(f"/trash/{theirs.pk}/restore/").status_code == 404
    assert client_a.post(f"/trash/{mine.pk}/restore/").status_code == 302
    with in_a():
        assert Deal.objects.filter(pk=deal.pk).exists() and not Deal.objects.filter(pk=other.pk).exists()

    client_a.login_as(szef)  # Szef sees the whole trash here too
    assert "Cudza szansa" in _table(client_a.get("/trash/"))


def test_another_company_cannot_see_or_restore_it(client_a, client_b, pracownik, outsider, in_a):
    with in_a():
        task = task_make(title="Tajne zadanie", assignee=pracownik, created_by=pracownik)
    client_a.login_as(pracownik)
    client_a.post(f"/tasks/{task.pk}/delete/")
    with in_a():
        entry = TrashEntry.objects.get()

    client_b.login_as(outsider)
    assert "Tajne zadanie" not in _table(client_b.get("/trash/"))
    assert client_b.post(f"/trash/{entry.pk}/restore/").status_code == 404
    with in_a():
        assert TrashEntry.objects.filter(pk=entry.pk).exists()


def test_the_trash_needs_a_signed_in_person(client_a):
    assert client_a.get("/trash/").status_code == 302
