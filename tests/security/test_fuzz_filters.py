"""Every GET filter: the query parameters of the API (from the OpenAPI schema), and
those of the pages (GET forms found on every company page as Szef and every public
page as a visitor, with every field of the Django form behind them, and the query
strings of links and htmx requests). Each
parameter gets its hostile values one by one (every edge of the calendar for a
date, huge numbers, long strings), then Hypothesis combines them. Never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.security.fuzz import HOSTILE_TEXT, hostile_values, param_value
from tests.security.objects import rows_fill
from tests.security.openapi import GET_FILTERS, query_parameters
from tests.security.pages import Field, company_scan, pages_scan
from tests.security.urlmap import MARK_ID, public_endpoints

EXAMPLES = 6


def _api_fields(op: dict[str, Any]) -> dict[str, Field]:
    out = {}
    for param in query_parameters(op):
        schema = param.get("schema") or {}
        fmt = schema.get("format", "")
        out[param["name"]] = Field(param["name"], "date" if fmt.startswith("date") else schema.get("type", "text"))
    return out


def _api_url(path: str, op: dict[str, Any]) -> str:
    for param in op.get("parameters", []):
        if param.get("in") == "path":
            kind = (param.get("schema") or {}).get("type")
            path = path.replace("{" + param["name"] + "}", str(MARK_ID) if kind == "integer" else "x")
    return path


def _names_in_path(path: str, op: dict[str, Any]) -> list[str]:
    """`/api/v1/reports/{name}/`: each report (the enum of the path parameter), not one."""
    for param in op.get("parameters", []):
        enum = (param.get("schema") or {}).get("enum")
        if param.get("in") == "path" and enum:
            return [path.replace("{" + param["name"] + "}", str(value)) for value in enum]
    return [_api_url(path, op)]


def fuzz_filter(client: Any, path: str, fields: dict[str, Field], **extra: Any) -> list[str]:
    """Hostile values for each parameter of `path`, one at a time, then combinations."""
    failures: list[str] = []

    def send(query: dict[str, str]) -> None:
        response = client.get(path, query, **extra)
        if response.status_code >= 500:
            failures.append(f"GET {path} {str(query)[:300]} -> {response.status_code}")

    for name, f in fields.items():
        for value in hostile_values(name, kind=f.kind, value=f.value):
            send({name: value})
    for value in HOSTILE_TEXT:
        send({name: value for name in fields})

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        query=st.fixed_dictionaries(
            {}, optional={n: param_value(n, kind=f.kind, value=f.value) for n, f in fields.items()}
        )
    )
    def run(query: dict[str, str]) -> None:
        send(query)

    run()
    return failures


@pytest.mark.parametrize(("path", "op"), GET_FILTERS, ids=[path for path, _op in GET_FILTERS])
def test_api_filter_never_answers_500_to_hostile_values(path, op, company_a, api_szef):
    with schema_context(company_a.schema_name):
        rows_fill()
    api_szef.raise_request_exception = False
    failures = []
    for url in _names_in_path(path, op):
        failures += fuzz_filter(api_szef, url, _api_fields(op))
    assert not failures, "\n".join(failures[:10])


def test_every_page_filter_never_answers_500_to_hostile_values(client_a, company_a, szef):
    client_a.raise_request_exception = False
    filters = company_scan(client_a, company_a, szef).get_filters
    assert filters, "no GET filter found on any page"

    failures = []
    for path, fields in sorted(filters.items()):
        client_a.login_kept(szef)
        failures += fuzz_filter(client_a, path, fields)

    assert not failures, "\n".join(failures[:10])


def test_every_public_page_filter_never_answers_500_to_hostile_values(companies, db):
    client = Client(HTTP_HOST=django_settings.IMCRM_BASE_DOMAIN, raise_request_exception=False)
    pages = [e.template for e in public_endpoints() if not e.has_params and not e.template.startswith("/admin/")]
    filters = pages_scan(client, pages).get_filters
    assert filters, "no GET filter on the public site"

    failures = [f for path, fields in sorted(filters.items()) for f in fuzz_filter(client, path, fields)]

    assert not failures, "\n".join(failures[:10])
