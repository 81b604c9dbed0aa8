"""Every operation of the OpenAPI schema (/api/schema/, generated from the URL
configuration, so new endpoints are covered automatically), called as company A's
Szef with a token: first the hostile calls every run makes (JSON nested 1,000 levels
deep, each query parameter with huge numbers, long strings and, for dates, every
edge of the calendar, each date field of the body with every edge), then
Hypothesis-generated input. Never a 500, and a row a write accepted reads back.

The number of examples per operation is set so the whole run stays near a minute."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.security.fuzz import (
    DEEP_JSON_TEXT,
    EDGE_DATES,
    INTS,
    JUNK,
    TEXT,
    deep_json_text,
    for_schema,
    hostile_values,
    is_date_like,
    resolve,
    typed,
)
from tests.security.objects import rows_fill
from tests.security.openapi import COMPONENTS, OPERATIONS, query_parameters
from tests.security.urlmap import MARK_ID
from tests.support.module_rows import module_transaction

EXAMPLES = max(6, min(30, 1000 // max(1, len(OPERATIONS))))


def _path_value(param: dict[str, Any]) -> st.SearchStrategy[Any]:
    kind = (param.get("schema") or {}).get("type")
    fixed = st.just(MARK_ID)
    return st.one_of(fixed, INTS) if kind == "integer" else st.one_of(fixed, TEXT.filter(lambda t: "/" not in t))


def _url_fixed(path: str, op: dict[str, Any]) -> str:
    """`path` with company A's ids in it."""
    for param in op.get("parameters", []):
        if param.get("in") == "path":
            kind = (param.get("schema") or {}).get("type")
            path = path.replace("{" + param["name"] + "}", str(MARK_ID) if kind == "integer" else "x")
    return path


def _json_schema(op: dict[str, Any]) -> dict[str, Any] | None:
    content = (op.get("requestBody") or {}).get("content", {})
    return content["application/json"].get("schema", {}) if "application/json" in content else None


def _date_fields(schema: dict[str, Any]) -> list[str]:
    """Writable body fields that carry a date (by format or by name)."""
    out = []
    for name, sub in resolve(schema, COMPONENTS).get("properties", {}).items():
        sub = resolve(sub, COMPONENTS)
        if not sub.get("readOnly") and (sub.get("format") in ("date", "date-time") or is_date_like(name)):
            out.append(name)
    return out


Call = tuple[str, dict[str, Any], Any, str]


def hostile_calls(path: str, method: str, op: dict[str, Any]) -> list[Call]:
    """Calls every run makes: deep JSON bodies, each query parameter with each of its
    hostile values (those of GET operations: test_fuzz_filters.py), each date field of
    the body with each edge of the calendar."""
    url = _url_fixed(path, op)
    calls: list[Call] = []
    for param in query_parameters(op) if method != "get" else []:
        fmt = (param.get("schema") or {}).get("format", "")
        for value in hostile_values(param["name"], kind="date" if fmt.startswith("date") else ""):
            calls.append((url, {param["name"]: value}, None, "none"))
    schema = _json_schema(op)
    if schema is not None:
        calls += [(url, {}, deep_json_text(1000, shape), "raw") for shape in ("list", "object")]
        for name in _date_fields(schema):
            calls += [(url, {}, {name: value}, "json") for value in EDGE_DATES]
    return calls


@st.composite
def _call(draw: Any, path: str, op: dict[str, Any]) -> Call:
    url = path
    query: dict[str, Any] = {}
    for param in op.get("parameters", []):
        where, name = param.get("in"), param["name"]
        if where == "path":
            value = str(draw(_path_value(param)))
            url = url.replace("{" + name + "}", value.replace("?", "").replace("#", "") or "x")
        elif where == "query" and draw(st.booleans()):
            query[name] = str(draw(st.one_of(typed(param.get("schema", {}), COMPONENTS), TEXT)))
    content = (op.get("requestBody") or {}).get("content", {})
    if "multipart/form-data" in content and draw(st.booleans()):
        body = draw(for_schema(content["multipart/form-data"].get("schema", {}), COMPONENTS))
        return url, query, body, "multipart"
    if content:
        if draw(st.integers(min_value=0, max_value=9)) == 0:
            return url, query, draw(DEEP_JSON_TEXT), "raw"
        schema = next(iter(content.values())).get("schema", {})
        body = draw(st.one_of(for_schema(schema, COMPONENTS), JUNK))
        return url, query, body, "json"
    return url, query, None, "none"


def _multipart(body: dict[str, Any]) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    out: dict[str, Any] = {}
    for key, value in body.items():
        if key in ("file", "upload", "attachment"):
            out[key] = SimpleUploadedFile(str(value)[:80] or "x", b"%PDF-1.4 fuzz" * 10, "application/octet-stream")
        elif value is None:
            continue
        else:
            out[key] = value if isinstance(value, str | int) else json.dumps(value, default=str)
    return out


def api_send(client: Any, method: str, call: Call, **auth: Any) -> int:
    """Make one call and, when it wrote something, read what it wrote; everything is
    rolled back afterwards (the next call sees the same rows). The worst status."""
    url, query, body, kind = call
    sid = transaction.savepoint()
    try:
        if method == "get":
            return int(client.get(url, query, **auth).status_code)
        if kind == "multipart":
            response = client.post(url, _multipart(body), **auth)
        else:
            data = body if kind == "raw" else json.dumps(body, default=str) if body is not None else ""
            target = url + ("?" + urlencode(query) if query else "")
            response = client.generic(method.upper(), target, data, content_type="application/json", **auth)
        written = _written_url(method, url, response)
        if written is None:
            return int(response.status_code)
        return max(response.status_code, client.get(written, **auth).status_code)
    finally:
        transaction.savepoint_rollback(sid)


def _written_url(method: str, url: str, response: Any) -> str | None:
    """Where the row a successful write made can be read back (a row the API accepts
    but cannot show again is a 500 on every later visit)."""
    if method not in ("post", "put", "patch") or not 200 <= response.status_code < 300:
        return None
    if method != "post":
        return url
    try:
        row_id = response.json().get("id")
    except (ValueError, AttributeError):
        return None
    return f"{url.rstrip('/')}/{row_id}/" if isinstance(row_id, int) else None


def _failure(method: str, call: Call, status: int) -> str:
    url, query, body, _kind = call
    return f"{method.upper()} {url} {str(query)[:200]} {str(body)[:200]!r} -> {status}"


@pytest.fixture(scope="module")
def filled_a(companies: Any, django_db_blocker: Any) -> Iterator[None]:
    """A row with id MARK_ID in every table of company A, made once for the module's tests
    (tests/support/module_rows.py)."""
    with module_transaction(django_db_blocker):
        with schema_context(companies.a.schema_name):
            rows_fill()
        yield


@pytest.mark.parametrize(("path", "method", "op"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m, _o in OPERATIONS])
def test_api_operation_never_answers_500_to_generated_input(path, method, op, filled_a, api_szef):
    api_szef.raise_request_exception = False
    failures: list[str] = []
    for call in hostile_calls(path, method, op):
        if (status := api_send(api_szef, method, call)) >= 500:
            failures.append(_failure(method, call, status))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(call=_call(path, op))
    def run(call: Call) -> None:
        if (status := api_send(api_szef, method, call)) >= 500:
            failures.append(_failure(method, call, status))

    run()
    assert not failures, "\n".join(failures[:5])
