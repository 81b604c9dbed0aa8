"""Who may do what with invoices: Szef and Kierownik issue, correct and send; a Pracownik
drafts for the customers he sees and issues only when Szef allows it; refused actions are
hidden on the pages and 403 in the API; another company gets 404 everywhere."""

from __future__ import annotations

import pytest

from crm.invoicing.models import Invoice, InvoiceStatus
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.invoicing.factories import buyer_make, draft_make, issued_make
from tests.support.api_tokens import api_headers

LINES = [{"name": "Usługa", "net_price": "100.00"}]


def test_pracownik_drafts_but_does_not_issue_unless_szef_allows(api_pracownik, company_settings_a, in_a):
    with in_a():
        customer = buyer_make()

    made = api_pracownik.post(
        "/api/v1/invoices/", {"customer": customer.pk, "lines": LINES}, content_type="application/json"
    )
    refused = api_pracownik.post(f"/api/v1/invoices/{made.json()['id']}/issue/")
    company_settings_a(pracownik_may_issue_invoices=True)
    allowed = api_pracownik.post(f"/api/v1/invoices/{made.json()['id']}/issue/")

    assert made.status_code == 201
    assert refused.status_code == 403 and "Szef" in refused.json()["detail"]
    assert allowed.status_code == 200 and allowed.json()["status"] == "issued"


def test_the_issue_button_shows_only_to_those_who_may_issue(client_a, pracownik, kierownik, company_settings_a, in_a):
    with in_a():
        invoice = draft_make(actor=pracownik)

    hidden = client_a.login_as(pracownik).get(f"/invoices/{invoice.pk}/").content.decode()
    post = client_a.post(f"/invoices/{invoice.pk}/issue/")
    company_settings_a(pracownik_may_issue_invoices=True)
    shown = client_a.get(f"/invoices/{invoice.pk}/").content.decode()

    assert 'data-testid="invoice-issue"' not in hidden
    assert post.status_code == 403
    assert 'data-testid="invoice-issue"' in shown
    assert (
        'data-testid="invoice-issue"' in client_a.login_as(kierownik).get(f"/invoices/{invoice.pk}/").content.decode()
    )


@pytest.mark.parametrize(("rank", "status"), [("pracownik", 403), ("kierownik", 201), ("szef", 201)])
def test_corrections_are_for_szef_and_kierownik(rank, status, client_a, company_a, request, in_a):
    user = request.getfixturevalue(rank)
    with in_a():
        invoice = issued_make()

    response = client_a.post(
        f"/api/v1/invoices/{invoice.pk}/correct/",
        {"reason": "Rabat"},
        content_type="application/json",
        **api_headers(company_a, user),
    )

    assert response.status_code == status
    page = client_a.login_as(user).get(f"/invoices/{invoice.pk}/").content.decode()
    assert ('data-testid="invoice-correct"' in page) is (status == 201)


def test_pracownik_changes_his_own_drafts_only(api_pracownik, szef, pracownik, in_a):
    with in_a():
        his = draft_make(actor=pracownik)
        szefs = draft_make(actor=szef)

    own = api_pracownik.patch(f"/api/v1/invoices/{his.pk}/", {"notes": "Pilne"}, content_type="application/json")
    other = api_pracownik.patch(f"/api/v1/invoices/{szefs.pk}/", {"notes": "Pilne"}, content_type="application/json")
    delete = api_pracownik.delete(f"/api/v1/invoices/{szefs.pk}/")

    assert own.status_code == 200
    assert other.status_code == 403 and delete.status_code == 403
    with in_a():
        assert Invoice.objects.get(pk=szefs.pk).notes == ""


def test_restricted_pracownik_sees_only_invoices_of_his_customers(
    api_restricted_pracownik, restricted_pracownik, szef, client_a, in_a
):
    with in_a():
        mine = draft_make(customer=CustomerFactory(owner=restricted_pracownik))
        hidden_customer = CustomerFactory(owner=szef, name="Cudzy Klient")
        hidden = draft_make(customer=hidden_customer)

    listed = [row["id"] for row in api_restricted_pracownik.get("/api/v1/invoices/").json()["results"]]
    made = api_restricted_pracownik.post(
        "/api/v1/invoices/", {"customer": hidden_customer.pk, "lines": LINES}, content_type="application/json"
    )

    assert listed == [mine.pk]
    assert api_restricted_pracownik.get(f"/api/v1/invoices/{hidden.pk}/").status_code == 404
    assert made.status_code == 400 and "customer" in made.json()
    client_a.login_as(restricted_pracownik)
    assert client_a.get(f"/invoices/{hidden.pk}/").status_code == 404
    assert "Cudzy Klient" not in client_a.get("/invoices/").content.decode()


def test_another_company_gets_404_for_every_invoice_url(api_outsider, client_b, outsider, in_a):
    with in_a():
        draft = draft_make()
        issued = issued_make()
    client_b.login_as(outsider)

    for invoice in (draft, issued):
        for suffix in ("", "issue/", "correct/", "convert/", "send-ksef/"):
            method = api_outsider.get if suffix == "" else api_outsider.post
            assert method(f"/api/v1/invoices/{invoice.pk}/{suffix}").status_code == 404, suffix
        assert api_outsider.get(f"/api/v1/invoices/{invoice.pk}/ksef.xml").status_code == 404
        assert (
            api_outsider.patch(f"/api/v1/invoices/{invoice.pk}/", {}, content_type="application/json").status_code
            == 404
        )
        assert api_outsider.delete(f"/api/v1/invoices/{invoice.pk}/").status_code == 404
        for page in ("", "edit/", "delete/", "correct/", "ksef.xml", "upo.xml"):
            assert client_b.get(f"/invoices/{invoice.pk}/{page}").status_code == 404, page
        for action in ("issue/", "convert/", "send-ksef/", "delete/", "correct/"):
            assert client_b.post(f"/invoices/{invoice.pk}/{action}").status_code == 404, action
    assert api_outsider.get("/api/v1/invoices/").json()["results"] == []
    with in_a():
        assert Invoice.objects.get(pk=draft.pk).status == InvoiceStatus.DRAFT


def test_anonymous_visitors_are_sent_to_login_and_the_api_answers_401(client_a, in_a):
    with in_a():
        invoice = draft_make()

    assert client_a.get(f"/invoices/{invoice.pk}/").status_code == 302
    assert client_a.get("/api/v1/invoices/").status_code == 401
