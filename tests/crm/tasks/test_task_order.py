"""Issue 13 leftovers: tasks sort by title in Polish alphabetical order (Ł after L,
Ś after S) on the list page and in the API."""

from __future__ import annotations

from crm.tasks.selectors import TASK_SORTS
from tests.crm.tasks.factories import TaskFactory

TITLES = ["Żuraw: faktura", "Lubin: telefon", "Łódź: oferta", "Marki: umowa", "Szczecin: spotkanie", "Śrem: wycena"]
POLISH_ORDER = [
    "Lubin: telefon",
    "Łódź: oferta",
    "Marki: umowa",
    "Szczecin: spotkanie",
    "Śrem: wycena",
    "Żuraw: faktura",
]


def _tasks(in_a, user):
    with in_a():
        for title in TITLES:
            TaskFactory(title=title, assignee=user, created_by=user)


def test_api_ordering_by_title_is_polish_alphabetical(szef, in_a, api_szef):
    _tasks(in_a, szef)
    titles = [r["title"] for r in api_szef.get("/api/v1/tasks/", {"ordering": "title"}).json()["results"]]
    assert titles == POLISH_ORDER
    backwards = [r["title"] for r in api_szef.get("/api/v1/tasks/", {"ordering": "-title"}).json()["results"]]
    assert backwards == POLISH_ORDER[::-1]


def test_api_refuses_an_unknown_ordering_with_the_allowed_ones(api_szef):
    response = api_szef.get("/api/v1/tasks/", {"ordering": "assignee"})
    assert response.status_code == 400
    assert all(key in response.json()["ordering"][0] for key in TASK_SORTS)


def test_task_list_sorts_by_title_the_polish_way(client_a, szef, in_a):
    _tasks(in_a, szef)
    client = client_a.login_as(szef)
    page = client.get("/tasks/", {"view": "mine"}).content.decode()
    assert 'name="sort"' in page and "Tytuł A–Ż" in page
    html = client.get("/tasks/", {"view": "mine", "sort": "title"}).content.decode()
    positions = [html.index(title) for title in POLISH_ORDER]
    assert positions == sorted(positions)
    backwards = client.get("/tasks/", {"view": "all", "sort": "-title"}).content.decode()
    assert backwards.index("Żuraw: faktura") < backwards.index("Śrem: wycena") < backwards.index("Lubin: telefon")
