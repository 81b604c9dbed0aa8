"""Settings > Kosz: deleted records wait 30 days with everything that went with them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from crm.contacts.models import ContactPerson, Customer
from crm.notes.models import Attachment, Note
from crm.notes.services import attachment_create, note_create, note_delete
from crm.sales.models import Deal
from crm.tasks.models import Task
from crm.trash.models import TrashEntry
from crm.trash.services import trash_purge
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory
from tests.crm.sales.factories import DealFactory
from tests.crm.tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db


def _customer_with_history(szef):
    customer = CustomerFactory(name="Hurtownia Śrubex", owner=szef)
    ContactPersonFactory(customer=customer, name="Anna Nowak")
    note_create(target=customer, author=szef, body="Zamawiają co kwartał.")
    attachment_create(
        target=customer,
        uploaded_by=szef,
        upload=SimpleUploadedFile("cennik.pdf", b"%PDF-1.4 cennik", content_type="application/pdf"),
    )
    return customer


def test_a_deleted_customer_comes_back_whole_with_its_contacts_notes_and_files(client_a, szef, in_a, media):
    with in_a():
        customer = _customer_with_history(szef)
        pk = customer.pk
        stored = Path(Attachment.objects.get().file.path)
    client_a.login_as(szef)

    assert client_a.post(f"/customers/{pk}/delete/").status_code in (200, 302)

    with in_a():
        assert not Customer.objects.filter(pk=pk).exists()
        entry = TrashEntry.objects.get()
    page = client_a.get("/settings/trash/").content.decode()
    assert "Hurtownia Śrubex" in page and "Przywróć" in page

    response = client_a.post(f"/settings/trash/{entry.pk}/restore/")

    assert response.status_code == 302 and response["Location"] == f"/customers/{pk}/"
    with in_a():
        restored = Customer.objects.get(pk=pk)
        assert restored.name == "Hurtownia Śrubex" and restored.owner_id == szef.pk
        assert list(ContactPerson.objects.filter(customer=restored).values_list("name", flat=True)) == ["Anna Nowak"]
        assert Note.objects.get(customer=restored).body == "Zamawiają co kwartał."
        assert Path(Attachment.objects.get(customer=restored).file.path).read_bytes() == b"%PDF-1.4 cennik"
        assert not TrashEntry.objects.exists()
    assert stored.exists()
    assert "Kosz jest pusty" in client_a.get("/settings/trash/").content.decode()


def test_a_restored_deal_is_linked_again_to_the_tasks_that_lost_it(client_a, szef, in_a):
    with in_a():
        customer = CustomerFactory(owner=szef)
        deal = DealFactory(customer=customer, owner=szef, name="Wdrożenie magazynu")
        task = TaskFactory(customer=customer, deal=deal, assignee=szef, created_by=szef)
        deal_pk = deal.pk
    client_a.login_as(szef)
    client_a.post(f"/deals/{deal_pk}/delete/")
    with in_a():
        task.refresh_from_db()
        assert task.deal_id is None  # the delete cleared the task's link
        entry = TrashEntry.objects.get()

    client_a.post(f"/settings/trash/{entry.pk}/restore/")

    with in_a():
        assert Deal.objects.get(pk=deal_pk).name == "Wdrożenie magazynu"
        assert Task.objects.get(pk=task.pk).deal_id == deal_pk


def test_a_note_whose_customer_is_gone_for_good_cannot_come_back_and_nothing_changes(client_a, szef, in_a):
    with in_a():
        customer = CustomerFactory(owner=szef)
        note = note_create(target=customer, author=szef, body="Stara notatka")
        note_delete(note=note, actor=szef)
        note_entry = TrashEntry.objects.get()
        Customer.objects.filter(pk=customer.pk).delete()  # gone for good, not through the trash
    client_a.login_as(szef)

    response = client_a.post(f"/settings/trash/{note_entry.pk}/restore/", follow=True)

    assert "został usunięty na zawsze" in response.content.decode()
    with in_a():
        assert not Note.objects.exists()
        assert TrashEntry.objects.filter(pk=note_entry.pk).exists()


def test_entries_older_than_30_days_are_purged_with_their_kept_files(
    szef, in_a, media, django_capture_on_commit_callbacks
):
    with in_a():
        customer = _customer_with_history(szef)
        note = Note.objects.get(customer=customer)
        note_delete(note=note, actor=szef)
        fresh = TrashEntry.objects.get()
        from crm.contacts.services import customer_delete

        customer_delete(customer=customer, actor=szef)
        old = TrashEntry.objects.exclude(pk=fresh.pk).get()
        TrashEntry.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        kept = [f["kept"] for f in old.files]
        assert kept
        storage = Attachment._meta.get_field("file").storage
        assert all(storage.exists(name) for name in kept)

        with django_capture_on_commit_callbacks(execute=True):
            assert trash_purge() == 1

        assert list(TrashEntry.objects.values_list("pk", flat=True)) == [fresh.pk]
    with in_a():
        assert not any(storage.exists(name) for name in kept)


@pytest.mark.parametrize("who", ["kierownik", "pracownik"])
def test_only_szef_opens_the_trash(client_a, who, request, szef, in_a):
    with in_a():
        customer = CustomerFactory(owner=szef)
        note_delete(note=note_create(target=customer, author=szef, body="x"), actor=szef)
        entry = TrashEntry.objects.get()
    client_a.login_as(request.getfixturevalue(who))

    assert client_a.get("/settings/trash/").status_code == 403
    assert client_a.post(f"/settings/trash/{entry.pk}/restore/").status_code == 403
    with in_a():
        assert not Note.objects.exists()


def test_another_companys_trash_entry_is_not_found(client_b, outsider, szef, in_a):
    with in_a():
        customer = CustomerFactory(owner=szef)
        note_delete(note=note_create(target=customer, author=szef, body="x"), actor=szef)
        entry = TrashEntry.objects.get()
    client_b.login_as(outsider)

    assert client_b.post(f"/settings/trash/{entry.pk}/restore/").status_code == 404
    with in_a():
        assert TrashEntry.objects.filter(pk=entry.pk).exists()
