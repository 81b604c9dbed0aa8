"""Expense categories: configurable with a colour in Settings > Wydatki and through
/api/v1/settings/expense-categories/, in the order Szef gives them; every company starts
with a Polish (or, for an English signup, English) set."""

from __future__ import annotations

import importlib
import json

from django.apps import apps

from crm.activity.models import ActivityEntry
from crm.expenses.defaults import DEFAULT_CATEGORIES, expense_categories_defaults_create
from crm.expenses.models import Expense, ExpenseCategory
from tests.crm.expenses.factories import ExpenseFactory

POLISH = [
    "Paliwo i dojazdy",
    "Podróże służbowe",
    "Materiały biurowe",
    "Oprogramowanie i abonamenty",
    "Telefon i internet",
    "Marketing i reklama",
    "Usługi obce",
    "Reprezentacja",
    "Inne",
]


def _names(in_a) -> list[str]:
    with in_a():
        return list(ExpenseCategory.objects.values_list("name", flat=True))


def test_a_new_company_starts_with_the_polish_categories_in_order(in_a):
    assert _names(in_a) == POLISH
    with in_a():
        assert list(ExpenseCategory.objects.values_list("position", flat=True)) == list(range(1, 10))


def test_an_english_signup_gets_english_names_and_creating_them_again_adds_nothing(in_a):
    with in_a():
        ExpenseCategory.objects.all().delete()
        assert expense_categories_defaults_create(language="en") == len(DEFAULT_CATEGORIES)
        assert expense_categories_defaults_create(language="en") == 0
    names = _names(in_a)
    assert names[:2] == ["Fuel and travel", "Business trips"] and names[-1] == "Other"


def test_companies_that_existed_before_expenses_get_the_categories_in_their_szefs_language(in_a, szef):
    migration = importlib.import_module("crm.expenses.migrations.0001_initial")
    with in_a():
        ExpenseCategory.objects.all().delete()
        migration.default_categories_create(apps, None)
        polish = list(ExpenseCategory.objects.values_list("name", flat=True))
        ExpenseCategory.objects.all().delete()
        type(szef).objects.filter(pk=szef.pk).update(language="en")
        migration.default_categories_create(apps, None)
        english = list(ExpenseCategory.objects.values_list("name", flat=True))

    assert polish == POLISH
    assert english[0] == "Fuel and travel" and len(english) == len(POLISH)


def test_the_settings_page_lists_the_categories_with_colours_and_an_add_form(client_a, szef):
    response = client_a.login_as(szef).get("/settings/expenses/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Kategorie wydatków" in page and "Paliwo i dojazdy" in page
    assert 'data-color="#d35400"' in page and 'data-testid="add-expense-categories"' in page
    assert "data-sortable-list" in page
    assert 'href="/settings/expenses/"' in client_a.get("/settings/").content.decode()


def test_only_szef_opens_the_settings_page(client_a, kierownik, pracownik):
    assert client_a.login_as(kierownik).get("/settings/expenses/").status_code == 403
    assert client_a.login_as(pracownik).get("/settings/expenses/").status_code == 403


def test_szef_adds_renames_and_reorders_a_category_and_it_is_logged(client_a, szef, in_a):
    client = client_a.login_as(szef)
    added = client.post(
        "/settings/categories/expense-categories/add/",
        {
            "expense-categories-name": "Leasing",
            "expense-categories-color": "#123ABC",
            "expense-categories-after": "first",
        },
    )
    assert added.status_code == 302
    assert _names(in_a)[:2] == ["Leasing", "Paliwo i dojazdy"]
    with in_a():
        leasing = ExpenseCategory.objects.get(name="Leasing")
        assert leasing.color == "#123abc"

    moved = client.post(
        f"/settings/categories/expense-categories/{leasing.pk}/move/", {"position": "3", "format": "json"}
    )
    assert moved.json() == {"ok": True, "position": 3}
    assert _names(in_a)[:3] == ["Paliwo i dojazdy", "Podróże służbowe", "Leasing"]
    edited = client.post(
        f"/settings/categories/expense-categories/{leasing.pk}/edit/", {"name": "Leasing aut", "color": "#123abc"}
    )
    assert edited.status_code == 302
    with in_a():
        codes = set(ActivityEntry.objects.filter(object_type="expenses.expensecategory").values_list("code", flat=True))
        assert {"category.created", "category.updated"} <= codes


def test_a_duplicate_name_is_refused_in_polish(client_a, szef, in_a):
    response = client_a.login_as(szef).post(
        "/settings/categories/expense-categories/add/",
        {"expense-categories-name": "paliwo i dojazdy", "expense-categories-color": "#123456"},
    )
    assert response.status_code == 400
    assert "Taka nazwa już jest na liście." in response.content.decode()
    assert _names(in_a) == POLISH


def test_deleting_a_category_in_use_moves_its_expenses(client_a, szef, in_a):
    with in_a():
        fuel = ExpenseCategory.objects.get(name="Paliwo i dojazdy")
        other = ExpenseCategory.objects.get(name="Inne")
        expense = ExpenseFactory(category=fuel, owner=szef)
    client = client_a.login_as(szef)
    page = client.get(f"/settings/categories/expense-categories/{fuel.pk}/delete/").content.decode()
    assert "Wydatki: <strong>1</strong>" in page

    response = client.post(
        f"/settings/categories/expense-categories/{fuel.pk}/delete/", {"action": "move", "move_to": other.pk}
    )

    assert response.status_code == 302
    with in_a():
        assert Expense.objects.get(pk=expense.pk).category_id == other.pk


def test_the_api_lists_creates_and_moves_categories(client_a, szef, in_a):
    client = client_a.login_as(szef)
    rows = client.get("/api/v1/settings/expense-categories/").json()["results"]
    assert [r["name"] for r in rows] == POLISH and [r["position"] for r in rows] == list(range(1, 10))

    made = client.post(
        "/api/v1/settings/expense-categories/",
        json.dumps({"name": "Szkolenia", "color": "#0a5c36", "position": 2}),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    inne = rows[-1]["id"]
    moved = client.patch(
        f"/api/v1/settings/expense-categories/{inne}/", json.dumps({"position": 1}), content_type="application/json"
    )
    assert moved.status_code == 200 and moved.json()["position"] == 1
    assert _names(in_a)[:3] == ["Inne", "Paliwo i dojazdy", "Szkolenia"]


def test_the_api_of_categories_is_for_szef_only_and_per_company(api_pracownik, api_kierownik, api_outsider, in_a):
    with in_a():
        own = ExpenseCategory.objects.create(name="Tylko w Alfie", color="#123456", position=99)
        high = own.pk + 10_000
        ExpenseCategory.objects.filter(pk=own.pk).update(id=high)

    assert api_pracownik.get("/api/v1/settings/expense-categories/").status_code == 403
    assert api_kierownik.get("/api/v1/settings/expense-categories/").status_code == 403
    assert api_outsider.get(f"/api/v1/settings/expense-categories/{high}/").status_code == 404
    names = [r["name"] for r in api_outsider.get("/api/v1/settings/expense-categories/").json()["results"]]
    assert "Tylko w Alfie" not in names
