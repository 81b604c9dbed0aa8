from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tests.support.api_tokens import api_key_for

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
def test_out_of_range_ids_in_the_api_are_not_found(client_a, company_a, szef, url):
    with schema_context(company_a.schema_name):
        key = api_key_for(szef)
    assert client_a.get(url, HTTP_AUTHORIZATION=f"Token {key}").status_code == 404


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


def test_odd_api_filter_values_are_refused_or_ignored(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        key = api_key_for(szef)
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client_a.get("/api/v1/customers/", {"group": HUGE}, **auth).status_code == 200
    assert client_a.get("/api/v1/contacts/", {"customer": HUGE}, **auth).json()["count"] == 0
    assert client_a.get("/api/v1/contacts/", {"customer": "abc"}, **auth).status_code == 400
    assert client_a.get("/api/v1/notes/", {"deal": HUGE}, **auth).json()["count"] == 0
    assert (
        client_a.post(
            "/api/v1/notes/", {"deal": HUGE, "body": "x"}, content_type="application/json", **auth
        ).status_code
        == 400
    )
