"""Deal pages: create, edit, delete, status change, with clear errors and nothing saved on bad input."""

from __future__ import annotations

from decimal import Decimal

from django_tenants.utils import schema_context

from crm.notes.models import TimelineEvent
from crm.sales.models import Deal
from tests.crm.sales.helpers import customer_make, deal_make, loss_reason, stages, status, win_reason


def _form_data(company, **overrides):
    with schema_context(company.schema_name):
        data = {
            "name": "Wdrożenie systemu",
            "value": "12500.00",
            "currency": "PLN",
            "category": "",
            "stage": str(stages()[1].pk),
            "status": str(status("in_progress").pk),
            "win_reason": "",
            "loss_reason": "",
            "owner": "",
            "expected_close": "2030-06-30",
        }
    data.update(overrides)
    return data


def test_szef_adds_a_deal_through_the_form(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = customer_make(name="Łódzka Fabryka Okien")
    client_a.login_as(szef)

    response = client_a.post("/deals/new/", _form_data(company_a, customer=str(customer.pk), owner=str(szef.pk)))

    with schema_context(company_a.schema_name):
        deal = Deal.objects.get(name="Wdrożenie systemu")
        assert response.status_code == 302
        assert response["Location"] == f"/deals/{deal.pk}/"
        assert deal.customer == customer
        assert deal.value == Decimal("12500.00")
        assert deal.stage == stages()[1]
        assert deal.owner == szef


def test_new_deal_page_preselects_the_customer_from_the_query(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = customer_make(name="Przedszkole Słoneczko")
    client_a.login_as(szef)

    page = client_a.get(f"/deals/new/?customer={customer.pk}").content.decode()

    assert f'<option value="{customer.pk}" selected>Przedszkole Słoneczko</option>' in page


def test_new_deal_page_with_a_customer_of_another_company_is_404(client_b, outsider, company_a):
    with schema_context(company_a.schema_name):
        customer = customer_make()
    client_b.login_as(outsider)

    assert client_b.get(f"/deals/new/?customer={customer.pk}").status_code == 404
    assert client_b.get("/deals/new/?customer=abc").status_code == 404


def test_form_without_name_and_customer_shows_errors_next_to_fields_and_saves_nothing(client_a, szef, company_a):
    client_a.login_as(szef)

    response = client_a.post("/deals/new/", _form_data(company_a, name="", customer=""))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-name"' in page
    assert 'data-testid="error-customer"' in page
    with schema_context(company_a.schema_name):
        assert not Deal.objects.exists()


def test_form_marking_won_without_a_reason_says_so_and_saves_nothing(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = customer_make()
        won = status("won")
    client_a.login_as(szef)

    response = client_a.post("/deals/new/", _form_data(company_a, customer=str(customer.pk), status=str(won.pk)))

    page = response.content.decode()
    assert 'data-testid="error-win_reason"' in page
    assert "wybierz powód wygranej" in page
    with schema_context(company_a.schema_name):
        assert not Deal.objects.exists()


def test_editing_a_deal_changes_it_and_records_the_stage_change(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef, stage=stages()[0])
        data = _form_data(company_a, customer=str(deal.customer_id), name="Nowa nazwa", stage=str(stages()[2].pk))
    client_a.login_as(szef)

    response = client_a.post(f"/deals/{deal.pk}/edit/", data)

    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        deal.refresh_from_db()
        assert deal.name == "Nowa nazwa"
        assert deal.stage == stages()[2]
        assert TimelineEvent.objects.filter(deal=deal, kind="deal_stage_changed").count() == 1


def test_deleting_a_deal_asks_first_then_removes_it(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef, name="Do usunięcia")
    client_a.login_as(szef)

    assert "Do usunięcia" in client_a.get(f"/deals/{deal.pk}/delete/").content.decode()
    response = client_a.post(f"/deals/{deal.pk}/delete/")

    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        assert not Deal.objects.filter(pk=deal.pk).exists()


def test_deal_page_shows_the_deal_and_its_history(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef, name="Serwis klimatyzacji", value=Decimal("4321.50"))
        target = stages()[3]
    client_a.login_as(szef)
    client_a.post(f"/deals/{deal.pk}/move/", {"stage": str(target.pk)})

    page = client_a.get(f"/deals/{deal.pk}/").content.decode()

    assert "Serwis klimatyzacji" in page
    assert "4\xa0321,50 PLN" in page or "4 321,50 PLN" in page
    assert 'data-testid="deal-history"' in page
    assert f"etap zmieniony z „{deal.stage.name}” na „{target.name}”" in page


def test_status_form_wins_with_a_reason_and_sets_closing_time(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)
        data = {"status": str(status("won").pk), "win_reason": str(win_reason().pk), "loss_reason": ""}
    client_a.login_as(szef)

    response = client_a.post(f"/deals/{deal.pk}/status/", data)

    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        deal.refresh_from_db()
        assert deal.status.code == "won"
        assert deal.closed_at is not None


def test_status_form_losing_without_reason_shows_the_error_and_changes_nothing(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)
        data = {"status": str(status("lost").pk), "win_reason": "", "loss_reason": ""}
    client_a.login_as(szef)

    response = client_a.post(f"/deals/{deal.pk}/status/", data)

    assert response.status_code == 400
    assert "wybierz powód przegranej" in response.content.decode()
    with schema_context(company_a.schema_name):
        deal.refresh_from_db()
        assert deal.status.code == "in_progress"
        assert deal.loss_reason is None


def test_status_form_loses_with_a_reason(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal = deal_make(owner=szef)
        data = {"status": str(status("lost").pk), "loss_reason": str(loss_reason().pk)}
    client_a.login_as(szef)

    client_a.post(f"/deals/{deal.pk}/status/", data)

    with schema_context(company_a.schema_name):
        deal.refresh_from_db()
        assert deal.status.code == "lost"
        assert deal.loss_reason == loss_reason()


def test_deal_list_filters_by_status(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        deal_make(owner=szef, name="Otwarta szansa")
        deal_make(owner=szef, name="Odroczona szansa", status=status("postponed"))
        postponed = status("postponed").pk
    client_a.login_as(szef)

    page = client_a.get(f"/deals/list/?status={postponed}").content.decode()
    open_page = client_a.get("/deals/list/?status=open").content.decode()

    assert "Odroczona szansa" in page and "Otwarta szansa" not in page
    assert "Otwarta szansa" in open_page and "Odroczona szansa" not in open_page


def test_customer_picker_search_ignores_case_and_polish_diacritics(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer_make(name="Łódzkie Zakłady Mięsne")
        customer_make(name="Gdańska Stocznia")
    client_a.login_as(szef)

    options = client_a.get("/deals/options/customers/?q=LODZ").content.decode()

    assert "Łódzkie Zakłady Mięsne" in options
    assert "Gdańska Stocznia" not in options


def test_deal_picker_lists_only_deals_of_the_chosen_customer(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        mine = deal_make(owner=szef, name="Szansa klienta A")
        deal_make(owner=szef, name="Szansa innego klienta")
    client_a.login_as(szef)

    options = client_a.get(f"/deals/options/deals/?customer={mine.customer_id}").content.decode()

    assert "Szansa klienta A" in options and "Szansa innego klienta" not in options


def test_anonymous_visitor_is_sent_to_login(client_a):
    for url in ("/deals/", "/deals/new/", "/deals/list/", "/deals/1/"):
        response = client_a.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_deal_list_query_count_does_not_grow_with_the_number_of_deals(
    client_a, szef, company_a, django_assert_max_num_queries
):
    client_a.login_as(szef)
    with schema_context(company_a.schema_name):
        deal_make(owner=szef)
    with django_assert_max_num_queries(40) as few:
        client_a.get("/deals/list/")
    with schema_context(company_a.schema_name):
        for _i in range(30):
            deal_make(owner=szef)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client_a.get("/deals/list/").content.decode()
    assert page.count("<tr>") == 32  # header + 31 deals
