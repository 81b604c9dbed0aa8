"""The API described for people: an introduction in the reader's language, links
from create to read/update/delete, the rate limit it states, the way in from the app."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import override_settings
from django_tenants.utils import schema_context

from tests.security.openapi import SCHEMA
from tests.support.api_tokens import api_key_for


def _schema(client, **headers):
    response = client.get("/api/schema/", {"format": "json"}, **headers)
    assert response.status_code == 200
    return json.loads(response.content)


def test_docs_introduction_is_in_polish_for_a_polish_reader(client_a, szef):
    info = _schema(client_a.login_as(szef), HTTP_ACCEPT_LANGUAGE="pl")["info"]["description"]
    assert "## Jak zacząć" in info
    assert "POST /api/v1/auth/token/" in info and "`code`" in info
    assert "## Stronicowanie" in info and "## Błędy" in info and "## Limity" in info
    assert "3000 na minutę" in info


def test_docs_introduction_is_in_english_for_an_english_reader(client_a, szef):
    client_a.cookies["django_language"] = "en"
    info = _schema(client_a.login_as(szef), HTTP_ACCEPT_LANGUAGE="en")["info"]["description"]
    assert "## Getting started" in info
    assert "## Pagination" in info and "## Errors" in info and "## Rate limits" in info
    assert "3000 per minute" in info
    assert "Jak zacząć" not in info


def test_schema_and_docs_stay_closed_to_anonymous_visitors(client_a):
    assert client_a.get("/api/schema/").status_code == 401
    assert client_a.get("/api/docs/").status_code == 302


def test_every_create_links_to_read_update_and_delete_of_the_new_record():
    operation_ids = {
        op["operationId"] for ops in SCHEMA["paths"].values() for op in ops.values() if "operationId" in op
    }
    linked = 0
    for path, ops in SCHEMA["paths"].items():
        item = SCHEMA["paths"].get(f"{path}{{id}}/")
        if "post" not in ops or item is None or "201" not in ops["post"]["responses"]:
            continue
        links = ops["post"]["responses"]["201"].get("links", {})
        assert set(links) == {
            f"{name}Created"
            for method, name in (("get", "read"), ("put", "update"), ("patch", "partialUpdate"), ("delete", "delete"))
            if method in item
        }, path
        for link in links.values():
            assert link["operationId"] in operation_ids
            assert link["parameters"] == {"id": "$response.body#/id"}
        linked += 1
    assert linked >= 10  # customers, contacts, deals, tasks, notes, files and Settings' lists


def test_id_fields_name_the_collection_their_ids_come_from():
    deal = SCHEMA["components"]["schemas"]["DealRequest"]["properties"]
    assert deal["customer"]["x-related"] == "/api/v1/customers/"
    assert deal["stage"]["x-related"] == "/api/v1/settings/deal-stages/"
    note = SCHEMA["components"]["schemas"]["NoteRequest"]
    assert {branch["required"][0] for branch in note["oneOf"]} == {
        "customer",
        "deal",
        "task",
        "offer",
        "invoice",
        "contract",
        "ticket",
        "project",
        "lead",
    }


def test_the_schema_states_the_colour_and_currency_formats():
    schemas = SCHEMA["components"]["schemas"]
    assert schemas["CategoryRequest"]["properties"]["color"]["pattern"] == "^#[0-9a-fA-F]{6}$"
    assert schemas["DealRequest"]["properties"]["currency"]["pattern"] == "^[A-Z]{3}$"
    assert "-" not in schemas["DealRequest"]["properties"]["value"]["pattern"]


def test_contact_groups_are_not_created_through_settings():
    assert "post" not in SCHEMA["paths"]["/api/v1/settings/contact-groups/"]


@override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "3/min"}})
def test_a_person_over_the_rate_limit_gets_429_with_retry_after(client_a, company_a, szef, pracownik):
    with schema_context(company_a.schema_name):
        token, other = api_key_for(szef), api_key_for(pracownik)
    for _ in range(3):
        assert client_a.get("/api/v1/customers/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    refused = client_a.get("/api/v1/customers/", HTTP_AUTHORIZATION=f"Token {token}")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # the limit is per person: a colleague is not slowed down
    assert client_a.get("/api/v1/customers/", HTTP_AUTHORIZATION=f"Token {other}").status_code == 200


@pytest.mark.parametrize("rank", ["szef", "pracownik"])
def test_user_menu_links_to_the_api_docs_for_every_rank(rank, client_a, request):
    page = client_a.login_as(request.getfixturevalue(rank)).get("/")
    assert 'href="/api/docs/"' in page.content.decode()
