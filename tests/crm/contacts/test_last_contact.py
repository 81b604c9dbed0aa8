"""Issue 13: a note or a task marked as a call or meeting moves the customer's
"Ostatni kontakt"; a plain note or an ordinary task does not."""

from __future__ import annotations

from crm.categories.models import TaskCategory, TaskCategoryCode
from crm.contacts.models import Customer
from crm.tasks import services as task_services
from tests.crm.contacts.factories import CustomerFactory, deal_make


def _last_contact(in_a, customer):
    with in_a():
        return Customer.objects.get(pk=customer.pk).last_contact_at


def test_a_call_noted_on_the_customer_card_sets_last_contact(client_a, szef, in_a):
    with in_a():
        customer = CustomerFactory(owner=szef)
    client = client_a.login_as(szef)
    client.post(f"/notes/customer/{customer.pk}/notes/add/", {"body": "Zwykła notatka", "kind": "note"})
    assert _last_contact(in_a, customer) is None
    response = client.post(
        f"/notes/customer/{customer.pk}/notes/add/", {"body": "Rozmawialiśmy o ofercie", "kind": "call"}
    )
    assert response.status_code in (200, 302)
    assert _last_contact(in_a, customer) is not None
    html = client.get(f"/notes/customer/{customer.pk}/notes/").content.decode()
    assert html.count('data-testid="note-kind-badge"') == 1  # the call is marked, the plain note is not


def test_a_meeting_noted_on_a_deal_sets_its_customers_last_contact_through_the_api(client_a, szef, in_a):
    with in_a():
        customer = CustomerFactory(owner=szef)
        deal = deal_make(customer, owner=szef)
    response = client_a.login_as(szef).post(
        "/api/v1/notes/", {"deal": deal.pk, "body": "Spotkanie w biurze", "kind": "meeting"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "meeting"
    assert _last_contact(in_a, customer) is not None


def test_an_unknown_note_kind_is_refused_and_nothing_changes(client_a, szef, in_a):
    with in_a():
        customer = CustomerFactory(owner=szef)
    response = client_a.login_as(szef).post(
        "/api/v1/notes/", {"customer": customer.pk, "body": "x", "kind": "telegram"}
    )
    assert response.status_code == 400
    assert _last_contact(in_a, customer) is None


def test_a_done_call_task_sets_last_contact_and_an_ordinary_task_does_not(szef, in_a):
    with in_a():
        customer = CustomerFactory(owner=szef)
        call = TaskCategory.objects.get(code=TaskCategoryCode.CALL)
        offer = TaskCategory.objects.get(name="Oferta")
        ordinary = task_services.task_create(actor=szef, title="Wysłać ofertę", category=offer, customer=customer)
        task_services.task_done_set(task=ordinary, done=True, actor=szef)
        assert Customer.objects.get(pk=customer.pk).last_contact_at is None
        phone = task_services.task_create(actor=szef, title="Zadzwonić", category=call, customer=customer)
        assert Customer.objects.get(pk=customer.pk).last_contact_at is None  # not done yet
        task_services.task_done_set(task=phone, done=True, actor=szef)
        assert Customer.objects.get(pk=customer.pk).last_contact_at == phone.completed_at


def test_the_default_meeting_category_counts_as_contact(in_a):
    with in_a():
        assert TaskCategory.objects.get(name="Spotkanie").code == TaskCategoryCode.MEETING
