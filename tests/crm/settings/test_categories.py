"""Personalisation (seed 003): colour categories added, edited and deleted by Szef."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crm.categories.models import (
    ContactGroup,
    ContactSource,
    CustomerStatus,
    DealStatus,
    DealStatusCode,
    TaskCategory,
)
from crm.contacts.models import Customer
from crm.tasks.models import Task
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.sales.factories import DealFactory
from tests.crm.tasks.factories import TaskFactory

LOCKED_NAMES = {"W toku", "Wygrane", "Odroczone", "Przegrane"}


def _status(code):
    return DealStatus.objects.get(code=code)


# --- the pages ------------------------------------------------------------------------------


def test_contacts_page_lists_groups_with_bins_and_sources_with_an_add_form(client_a, szef):
    response = client_a.login_as(szef).get("/settings/contacts/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Klient VIP" in html and "Polecenie" in html
    assert 'data-testid="add-contact-sources"' in html
    assert 'data-testid="add-contact-groups"' not in html  # groups are made on the customer card
    assert 'data-color="#8e44ad"' in html  # chips carry their colour
    assert "bi-trash" in html


def test_szef_adds_an_acquisition_source_with_a_colour(client_a, szef, in_a):
    response = client_a.login_as(szef).post(
        "/settings/categories/contact-sources/add/",
        {"contact-sources-name": "Webinar", "contact-sources-color": "#AA00FF"},
    )
    assert response.status_code == 302
    with in_a():
        source = ContactSource.objects.get(name="Webinar")
        assert source.color == "#aa00ff"
        others = ContactSource.objects.exclude(pk=source.pk).order_by("-position")
        assert source.position == others[0].position + 1  # added at the end of the list


@pytest.mark.parametrize(
    ("name", "color", "message"),
    [
        ("", "#112233", "To pole jest wymagane"),
        ("Targi", "#112233", "Taka nazwa już jest na liście"),
        ("Nowe", "red", "Podaj kolor w formacie #RRGGBB"),
        ("Nowe", "#12345", "Podaj kolor w formacie #RRGGBB"),
    ],
)
def test_bad_category_input_is_refused_next_to_the_field_and_nothing_is_saved(
    client_a, szef, in_a, name, color, message
):
    with in_a():
        before = ContactSource.objects.count()
    response = client_a.login_as(szef).post(
        "/settings/categories/contact-sources/add/",
        {"contact-sources-name": name, "contact-sources-color": color},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    with in_a():
        assert ContactSource.objects.count() == before


def test_names_are_unique_ignoring_case(client_a, szef):
    response = client_a.login_as(szef).post(
        "/settings/categories/task-categories/add/",
        {"task-categories-name": "  SPOTKANIE ", "task-categories-color": "#000000"},
    )
    assert response.status_code == 400
    assert "Taka nazwa już jest na liście" in response.content.decode()


def test_szef_renames_and_recolours_a_category(client_a, szef, in_a):
    with in_a():
        item = TaskCategory.objects.get(name="Telefon")
    response = client_a.login_as(szef).post(
        f"/settings/categories/task-categories/{item.pk}/edit/", {"name": "Rozmowa", "color": "#010203"}
    )
    assert response.status_code == 302
    with in_a():
        item.refresh_from_db()
        assert (item.name, item.color) == ("Rozmowa", "#010203")


def test_groups_cannot_be_added_in_settings(client_a, szef):
    response = client_a.login_as(szef).post(
        "/settings/categories/contact-groups/add/", {"contact-groups-name": "X", "contact-groups-color": "#000000"}
    )
    assert response.status_code == 404


def test_unknown_category_kind_is_404(client_a, szef):
    assert client_a.login_as(szef).get("/settings/categories/nonsense/1/edit/").status_code == 404


# --- locked statuses ------------------------------------------------------------------------


def test_locked_statuses_show_no_bin_on_the_sales_page(client_a, szef, in_a):
    html = client_a.login_as(szef).get("/settings/sales/").content.decode()
    with in_a():
        locked = list(DealStatus.objects.filter(locked=True))
    assert {s.name for s in locked} == LOCKED_NAMES
    for status in locked:
        assert f'data-testid="delete-deal-statuses-{status.pk}"' not in html
    assert "bi-lock" in html


def test_locked_status_cannot_be_deleted_through_the_page(client_a, szef, in_a):
    with in_a():
        won = _status(DealStatusCode.WON)
    client_a.login_as(szef)
    page = client_a.get(f"/settings/categories/deal-statuses/{won.pk}/delete/")
    assert 'data-testid="locked-message"' in page.content.decode()
    response = client_a.post(f"/settings/categories/deal-statuses/{won.pk}/delete/")
    assert response.status_code == 400
    assert "zablokowanych statusów" in response.content.decode()
    with in_a():
        assert DealStatus.objects.filter(pk=won.pk).exists()


def test_locked_status_cannot_be_deleted_through_the_api(client_a, szef, in_a):
    with in_a():
        statuses = list(DealStatus.objects.filter(locked=True))
    client_a.login_as(szef)
    for status in statuses:
        response = client_a.delete(f"/api/v1/settings/deal-statuses/{status.pk}/")
        assert response.status_code == 400
        assert "zablokowanych statusów" in response.json()["detail"]
    with in_a():
        assert DealStatus.objects.filter(locked=True).count() == 4


def test_api_lists_categories_with_the_contract_fields(client_a, szef):
    data = client_a.login_as(szef).get("/api/v1/settings/deal-statuses/").json()
    rows = data["results"]
    assert set(rows[0]) == {"id", "name", "color", "locked", "position"}
    assert {r["name"] for r in rows if r["locked"]} == LOCKED_NAMES


def test_api_cannot_unlock_a_status(client_a, szef, in_a):
    with in_a():
        won = _status(DealStatusCode.WON)
    response = client_a.login_as(szef).patch(
        f"/api/v1/settings/deal-statuses/{won.pk}/",
        {"locked": False, "color": "#00ff00"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["locked"] is True
    assert response.json()["color"] == "#00ff00"


def test_api_creates_and_validates_categories(client_a, szef, in_a):
    client_a.login_as(szef)
    created = client_a.post("/api/v1/settings/deal-stages/", {"name": "Demo", "color": "#123abc"})
    assert created.status_code == 201
    assert created.json()["locked"] is False
    bad = client_a.post("/api/v1/settings/deal-stages/", {"name": "Zły", "color": "zielony"})
    assert bad.status_code == 400 and "color" in bad.json()
    duplicate = client_a.post("/api/v1/settings/deal-stages/", {"name": "demo", "color": "#123abc"})
    assert duplicate.status_code == 400 and "ma już etap o tej nazwie" in str(duplicate.json())
    with in_a():
        assert not ContactSource.objects.filter(name="Zły").exists()


def test_api_refuses_creating_groups(client_a, szef, in_a):
    response = client_a.login_as(szef).post("/api/v1/settings/contact-groups/", {"name": "X", "color": "#000000"})
    assert response.status_code == 405  # groups are added on a customer's card; the schema offers no POST
    with in_a():
        assert not ContactGroup.objects.filter(name="X").exists()


def test_every_default_except_the_locked_statuses_can_be_deleted(client_a, szef, in_a):
    from crm.settings.categories import KINDS

    client_a.login_as(szef)
    for slug, kind in KINDS.items():
        with in_a():
            ids = list(kind.model._default_manager.filter(locked=False).values_list("pk", flat=True))
        for pk in ids:
            assert client_a.delete(f"/api/v1/settings/{slug}/{pk}/").status_code == 204, (slug, pk)
    with in_a():
        assert DealStatus.objects.count() == 4
        assert ContactSource.objects.count() == 0


# --- deleting a category records still use ----------------------------------------------------


@pytest.fixture
def customers_from_polecenie(in_a, szef):
    with in_a():
        source = ContactSource.objects.get(name="Polecenie")
        made = [CustomerFactory(name=f"Firma {i}", source=source, owner=szef) for i in range(3)]
    return source, made


def test_delete_page_says_how_many_records_use_the_category(client_a, szef, customers_from_polecenie):
    source, _customers = customers_from_polecenie
    html = client_a.login_as(szef).get(f"/settings/categories/contact-sources/{source.pk}/delete/").content.decode()
    assert "Rekordy z tą pozycją: 3." in html
    assert "Zostaw bez kategorii" in html


def test_deleting_a_used_category_without_a_choice_is_refused(client_a, szef, in_a, customers_from_polecenie):
    source, _customers = customers_from_polecenie
    response = client_a.login_as(szef).post(
        f"/settings/categories/contact-sources/{source.pk}/delete/", {"action": "move"}
    )
    assert response.status_code == 400
    assert "Wybierz, dokąd przenieść rekordy" in response.content.decode()
    with in_a():
        assert ContactSource.objects.filter(pk=source.pk).exists()


def test_records_move_to_the_chosen_category(client_a, szef, in_a, customers_from_polecenie):
    source, customers = customers_from_polecenie
    with in_a():
        target = ContactSource.objects.get(name="Targi")
    response = client_a.login_as(szef).post(
        f"/settings/categories/contact-sources/{source.pk}/delete/", {"action": "move", "move_to": target.pk}
    )
    assert response.status_code == 302
    with in_a():
        assert not ContactSource.objects.filter(pk=source.pk).exists()
        assert Customer.objects.filter(pk__in=[c.pk for c in customers], source=target).count() == 3


def test_records_can_be_left_uncategorised(client_a, szef, in_a, customers_from_polecenie):
    source, customers = customers_from_polecenie
    response = client_a.login_as(szef).post(
        f"/settings/categories/contact-sources/{source.pk}/delete/", {"action": "none"}
    )
    assert response.status_code == 302
    with in_a():
        assert Customer.objects.filter(pk__in=[c.pk for c in customers], source__isnull=True).count() == 3


def test_deleting_a_group_moves_memberships_without_duplicates(client_a, szef, in_a):
    with in_a():
        vip, gold = ContactGroup.objects.get(name="Klient VIP"), ContactGroup.objects.get(name="Klient Złoty")
        both = CustomerFactory(name="Oba")
        both.groups.add(vip, gold)
        only_vip = CustomerFactory(name="Tylko VIP")
        only_vip.groups.add(vip)
    response = client_a.login_as(szef).delete(f"/api/v1/settings/contact-groups/{vip.pk}/?move_to={gold.pk}")
    assert response.status_code == 204
    with in_a():
        assert list(both.groups.values_list("name", flat=True)) == ["Klient Złoty"]
        assert list(only_vip.groups.values_list("name", flat=True)) == ["Klient Złoty"]


def test_custom_deal_status_in_use_moves_deals_to_w_toku_and_cannot_leave_them_without_status(client_a, szef, in_a):
    with in_a():
        custom = DealStatus.objects.create(name="Wstrzymane", color="#999999")
        customer = CustomerFactory(name="Klient statusu")
        deal = DealFactory(name="Umowa", customer=customer, status=custom, value=Decimal("100"))
        in_progress = _status(DealStatusCode.IN_PROGRESS)
    client_a.login_as(szef)
    page = client_a.get(f"/settings/categories/deal-statuses/{custom.pk}/delete/").content.decode()
    assert "Zostaw bez kategorii" not in page
    assert f'<option value="{in_progress.pk}" selected>' in page  # W toku is the default target
    refused = client_a.post(f"/settings/categories/deal-statuses/{custom.pk}/delete/", {"action": "none"})
    assert refused.status_code == 400
    api_refused = client_a.delete(f"/api/v1/settings/deal-statuses/{custom.pk}/?uncategorise=true")
    assert api_refused.status_code == 400
    response = client_a.post(
        f"/settings/categories/deal-statuses/{custom.pk}/delete/", {"action": "move", "move_to": in_progress.pk}
    )
    assert response.status_code == 302
    with in_a():
        deal.refresh_from_db()
        assert deal.status_id == in_progress.pk


def test_api_delete_of_a_used_category_answers_409_with_the_count(client_a, szef, in_a):
    with in_a():
        category = TaskCategory.objects.get(name="Spotkanie")
        for i in range(2):
            TaskFactory(title=f"Zadanie {i}", category=category)
    client_a.login_as(szef)
    response = client_a.delete(f"/api/v1/settings/task-categories/{category.pk}/")
    assert response.status_code == 409
    assert response.json()["in_use"] == 2
    wrong = client_a.delete(f"/api/v1/settings/task-categories/{category.pk}/?move_to={category.pk}")
    assert wrong.status_code == 400
    done = client_a.delete(f"/api/v1/settings/task-categories/{category.pk}/?uncategorise=true")
    assert done.status_code == 204
    with in_a():
        assert Task.objects.filter(title__startswith="Zadanie", category__isnull=True).count() == 2


def test_customer_statuses_and_types_are_managed_the_same_way(client_a, szef, in_a):
    client_a.login_as(szef)
    assert client_a.post("/api/v1/settings/customer-statuses/", {"name": "VIP", "color": "#abcdef"}).status_code == 201
    assert (
        client_a.post("/api/v1/settings/customer-types/", {"name": "Hurtownia", "color": "#abcdef"}).status_code == 201
    )
    with in_a():
        assert CustomerStatus.objects.filter(name="VIP").exists()


def test_outsider_cannot_touch_company_a_categories(client_b, outsider, in_a):
    with in_a():
        source = ContactSource.objects.create(id=900_100_001, name="Tylko w A", color="#000000")
    client_b.login_as(outsider)
    assert client_b.delete(f"/api/v1/settings/contact-sources/{source.pk}/").status_code == 404
    assert client_b.post(f"/settings/categories/contact-sources/{source.pk}/delete/").status_code == 404
    with in_a():
        assert ContactSource.objects.filter(pk=source.pk).exists()
