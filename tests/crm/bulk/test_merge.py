"""Merging two customers (POST /api/v1/customers/<id>/merge/ and /customers/<id>/merge/):
the chosen values stay, every record of the other customer moves, its card redirects."""

from __future__ import annotations

from crm.activity.models import ActivityEntry
from crm.common.records import record_types
from crm.contacts.merge import customer_relations
from crm.contacts.models import ContactPerson, Customer, CustomerRedirect
from crm.contracts.models import Contract
from crm.invoicing.models import Invoice
from crm.leads.models import Lead
from crm.notes.models import Attachment, Note
from crm.offers.models import Offer
from crm.projects.models import Project
from crm.sales.models import Deal
from crm.tasks.models import Task
from crm.tickets.models import Ticket
from tests.crm.categories.factories import ContactGroupFactory
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory
from tests.crm.contracts.factories import contract_make
from tests.crm.invoicing.factories import InvoiceFactory
from tests.crm.leads.factories import lead_make
from tests.crm.notes.factories import AttachmentFactory, NoteFactory
from tests.crm.offers.factories import offer_make
from tests.crm.projects.factories import project_make
from tests.crm.sales.factories import DealFactory
from tests.crm.tasks.factories import TaskFactory
from tests.crm.tickets.factories import ticket_make


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


def _pair(**other):
    survivor = CustomerFactory(name="Śrubex", email="", phone="+48 600 100 200", tags=["hurt"])
    loser = CustomerFactory(name="Śrubex Sp. z o.o.", email="biuro@srubex.pl", tags=["vip"], **other)
    return survivor, loser


def test_every_record_of_the_other_customer_moves_to_the_survivor(api_szef, szef, in_a):
    with in_a():
        survivor, other = _pair()
        made = {
            ContactPerson: ContactPersonFactory(customer=other),
            Deal: DealFactory(customer=other),
            Task: TaskFactory(customer=other),
            Note: NoteFactory(customer=other),
            Attachment: AttachmentFactory(customer=other),
            Invoice: InvoiceFactory(customer=other),
            Offer: offer_make(customer=other),
            Contract: contract_make(customer=other),
            Project: project_make(customer=other),
            Ticket: ticket_make(customer=other, contact=ContactPersonFactory(customer=other)),
        }
        lead = lead_make(actor=szef)
        Lead.objects.filter(pk=lead.pk).update(converted_customer=other)
    response = _post(api_szef, f"/api/v1/customers/{survivor.pk}/merge/", {"other": other.pk, "fields": {}})
    assert response.status_code == 200, response.content
    with in_a():
        for model, obj in made.items():
            assert model.objects.get(pk=obj.pk).customer_id == survivor.pk, model.__name__
        assert Lead.objects.get(pk=lead.pk).converted_customer_id == survivor.pk
        assert not Customer.objects.filter(pk=other.pk).exists()
        assert CustomerRedirect.objects.get(old_id=other.pk).customer_id == survivor.pk
        assert ActivityEntry.objects.filter(code="customer.merged").count() == 1


def test_chosen_values_stay_and_empty_ones_are_filled_groups_and_tags_are_joined(api_szef, kierownik, in_a):
    with in_a():
        group = ContactGroupFactory()
        survivor, other = _pair(owner=kierownik, custom_fields={})
        other.groups.add(group)
    body = {"other": other.pk, "fields": {"name": other.pk, "owner": other.pk}}
    response = _post(api_szef, f"/api/v1/customers/{survivor.pk}/merge/", body)
    assert response.status_code == 200, response.content
    with in_a():
        merged = Customer.objects.get(pk=survivor.pk)
        assert merged.name == "Śrubex Sp. z o.o."
        assert merged.owner_id == kierownik.pk
        assert merged.email == "biuro@srubex.pl"  # the survivor had none
        assert merged.phone == "+48 600 100 200"
        assert sorted(merged.tags) == ["hurt", "vip"]
        assert list(merged.groups.all()) == [group]


def test_the_merged_customers_card_leads_to_the_survivor_and_lists_forget_it(client_a, szef, api_szef, in_a):
    with in_a():
        survivor, other = _pair()
    assert _post(api_szef, f"/api/v1/customers/{survivor.pk}/merge/", {"other": other.pk}).status_code == 200
    client_a.login_as(szef)
    response = client_a.get(f"/customers/{other.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{survivor.pk}/"
    names = [c["name"] for c in api_szef.get("/api/v1/customers/").json()["results"]]
    assert "Śrubex Sp. z o.o." not in names


def test_bad_fields_change_nothing(api_szef, in_a):
    with in_a():
        survivor, other = _pair()
        deal = DealFactory(customer=other)
    for body in (
        {"other": other.pk, "fields": {"name": 123456}},
        {"other": other.pk, "fields": {"password": other.pk}},
        {"other": survivor.pk},
        {"fields": {}},
        {"other": "x"},
    ):
        response = _post(api_szef, f"/api/v1/customers/{survivor.pk}/merge/", body)
        assert response.status_code == 400, body
    with in_a():
        assert Customer.objects.filter(pk=other.pk).exists()
        assert Deal.objects.get(pk=deal.pk).customer_id == other.pk


def test_an_outsider_gets_404(api_outsider, in_a):
    with in_a():
        survivor, other = _pair()
    assert _post(api_outsider, f"/api/v1/customers/{survivor.pk}/merge/", {"other": other.pk}).status_code == 404


def test_restricted_pracownik_cannot_merge_a_customer_he_does_not_see(
    api_restricted_pracownik, restricted_pracownik, szef, in_a
):
    with in_a():
        mine = CustomerFactory(owner=restricted_pracownik)
        hidden = CustomerFactory(owner=szef)
    response = _post(api_restricted_pracownik, f"/api/v1/customers/{mine.pk}/merge/", {"other": hidden.pk})
    assert response.status_code == 400
    assert "other" in response.json()
    with in_a():
        assert Customer.objects.filter(pk=hidden.pk).exists()


def test_pracownik_cannot_merge_a_colleagues_customers(api_pracownik, szef, in_a):
    with in_a():
        survivor, other = _pair(owner=szef)
    response = _post(api_pracownik, f"/api/v1/customers/{survivor.pk}/merge/", {"other": other.pk})
    assert response.status_code == 403
    with in_a():
        assert Customer.objects.filter(pk=other.pk).exists()


def test_kierownik_merges_on_the_page_choosing_values(client_a, kierownik, in_a):
    with in_a():
        survivor, other = _pair()
        task = TaskFactory(customer=other)
    client_a.login_as(kierownik)
    page = client_a.get(f"/customers/{survivor.pk}/merge/?other={other.pk}")
    assert page.status_code == 200
    assert "Śrubex Sp. z o.o." in page.content.decode()
    response = client_a.post(f"/customers/{survivor.pk}/merge/", {"other": other.pk, "f_name": other.pk})
    assert response.status_code == 302
    with in_a():
        assert Customer.objects.get(pk=survivor.pk).name == "Śrubex Sp. z o.o."
        assert Task.objects.get(pk=task.pk).customer_id == survivor.pk


def test_the_merge_page_finds_the_other_customer(client_a, szef, in_a):
    with in_a():
        survivor, other = _pair()
    client_a.login_as(szef)
    page = client_a.get(f"/customers/{survivor.pk}/merge/?q=srubex")
    assert f"?other={other.pk}" in page.content.decode()


def test_the_merge_page_of_another_company_is_404(client_b, outsider, in_a):
    with in_a():
        survivor, other = _pair()
    client_b.login_as(outsider)
    assert client_b.get(f"/customers/{survivor.pk}/merge/?other={other.pk}").status_code == 404


def test_every_record_type_pointing_at_customers_is_moved_by_the_merge():
    moved = {relation.model for relation in customer_relations()}
    for record_type in record_types():
        if record_type.customer_field:
            assert record_type.model in moved, record_type.key
