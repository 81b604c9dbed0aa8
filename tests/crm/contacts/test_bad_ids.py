from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
HUGE = "9223372036854775808"


@pytest.mark.parametrize(
    "url",
    [
        f"/customers/{HUGE}/",
        f"/customers/{HUGE}/edit/",
        f"/customers/contacts/{HUGE}/edit/",
        f"/customers/import/{HUGE}/",
        f"/notes/customer/{HUGE}/notes/",
        f"/notes/note/{HUGE}/history/",
        f"/notes/file/{HUGE}/",
    ],
)
def test_out_of_range_ids_in_pages_are_not_found(client_a, szef, url):
    assert client_a.login_as(szef).get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/customers/{HUGE}/",
        f"/api/v1/contacts/{HUGE}/",
        f"/api/v1/notes/{HUGE}/",
        f"/api/v1/files/{HUGE}/",
    ],
)
def test_out_of_range_ids_in_the_api_are_not_found(api_szef, url):
    assert api_szef.get(url).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"group": HUGE, "owner": HUGE, "status": "-1", "type": "1e9", "source": HUGE * 2},
        {"q": "x" * 500, "tag": "y" * 300, "kind": "robot"},
    ],
)
def test_odd_filter_values_neither_fail_nor_leak(client_a, szef, query):
    client_a.login_as(szef)
    assert client_a.get("/customers/", query).status_code == 200
    assert client_a.get("/customers/export/", {**query, "format": "csv"}).status_code == 200


def test_odd_api_filter_values_are_refused_or_ignored(api_szef):
    assert api_szef.get("/api/v1/customers/", {"group": HUGE}).status_code == 200
    assert api_szef.get("/api/v1/contacts/", {"customer": HUGE}).json()["count"] == 0
    assert api_szef.get("/api/v1/contacts/", {"customer": "abc"}).status_code == 400
    assert api_szef.get("/api/v1/notes/", {"deal": HUGE}).json()["count"] == 0
    assert (
        api_szef.post(
            "/api/v1/notes/",
            {"deal": HUGE, "body": "x"},
            content_type="application/json",
        ).status_code
        == 400
    )
