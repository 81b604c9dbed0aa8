"""The action bar under the lists: POST /bulk/<type>/ with ticked rows."""

from __future__ import annotations

from crm.contacts.models import Customer
from crm.sales.models import Deal
from crm.tasks.models import Task
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.leads.factories import lead_make
from tests.crm.sales.factories import DealFactory
from tests.crm.tasks.factories import TaskFactory


def test_the_four_lists_show_checkboxes_and_the_action_bar(client_a, szef, in_a):
    with in_a():
        customer = CustomerFactory()
        DealFactory(customer=customer)
        TaskFactory()
        lead_make(actor=szef)
    client_a.login_as(szef)
    for path in ("/customers/", "/deals/list/", "/tasks/?view=all", "/leads/"):
        html = client_a.get(path).content.decode()
        assert 'data-testid="bulk-bar"' in html, path
        assert "data-bulk-row" in html and "data-bulk-all" in html, path
        assert "<script>" not in html  # CSP: the bar's script is a static file


def test_szef_assigns_ticked_customers_from_the_list(client_a, szef, pracownik, in_a):
    with in_a():
        ids = [CustomerFactory().pk for _ in range(2)]
    client_a.login_as(szef)
    response = client_a.post(
        "/bulk/customer/",
        {"ids": ids, "action": "assign", "owner": pracownik.pk, "next": "/customers/?q=firma"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/customers/?q=firma"
    assert "Zmieniono rekordów: 2." in response.content.decode()
    with in_a():
        assert set(Customer.objects.filter(pk__in=ids).values_list("owner_id", flat=True)) == {pracownik.pk}


def test_a_refusal_is_shown_and_nothing_changes(client_a, pracownik, szef, in_a):
    with in_a():
        mine = TaskFactory(assignee=pracownik)
        theirs = TaskFactory(assignee=szef, created_by=szef)
    client_a.login_as(pracownik)
    response = client_a.post(
        "/bulk/task/", {"ids": [mine.pk, theirs.pk], "action": "done", "done": "true"}, follow=True
    )
    assert "Niczego nie zmieniono" in response.content.decode()
    with in_a():
        assert not Task.objects.filter(done=True).exists()


def test_a_foreign_next_address_is_not_followed(client_a, szef, in_a):
    with in_a():
        deal = DealFactory(customer=CustomerFactory())
    client_a.login_as(szef)
    response = client_a.post("/bulk/deal/", {"ids": [deal.pk], "action": "delete", "next": "https://evil.test/"})
    assert response["Location"] == "/deals/list/"
    with in_a():
        assert not Deal.objects.filter(pk=deal.pk).exists()


def test_unknown_list_is_404_and_get_is_refused(client_a, szef):
    client_a.login_as(szef)
    assert client_a.post("/bulk/invoice/", {"ids": [1], "action": "delete"}).status_code == 404
    assert client_a.get("/bulk/customer/").status_code == 405


def test_another_companys_person_changes_nothing(client_b, outsider, in_a):
    with in_a():
        customer = CustomerFactory()
    client_b.login_as(outsider)
    client_b.post("/bulk/customer/", {"ids": [customer.pk], "action": "delete"})
    with in_a():
        assert Customer.objects.filter(pk=customer.pk).exists()
