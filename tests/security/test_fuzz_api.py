"""Every operation of the OpenAPI schema (/api/schema/, generated from the URL
configuration, so new endpoints are covered automatically), called as company A's
Szef with a token and Hypothesis-generated input: never a 500.

The number of examples per operation is set so the whole run stays near a minute."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django_tenants.utils import schema_context
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.security.fuzz import INTS, JUNK, TEXT, for_schema, typed
from tests.security.objects import rows_fill
from tests.security.urlmap import MARK_ID
from tests.support.api_tokens import api_key_for

SCHEMA = SchemaGenerator(urlconf="config.urls_tenant").get_schema(request=None, public=True)
COMPONENTS = SCHEMA.get("components", {}).get("schemas", {})
OPERATIONS = [
    (path, method, op)
    for path, ops in sorted(SCHEMA.get("paths", {}).items())
    for method, op in ops.items()
    if method in ("get", "post", "put", "patch", "delete")
]
EXAMPLES = max(6, min(30, 1000 // max(1, len(OPERATIONS))))


def _path_value(param: dict[str, Any]) -> st.SearchStrategy[Any]:
    kind = (param.get("schema") or {}).get("type")
    fixed = st.just(MARK_ID)
    return st.one_of(fixed, INTS) if kind == "integer" else st.one_of(fixed, TEXT.filter(lambda t: "/" not in t))


@st.composite
def _call(draw: Any, path: str, op: dict[str, Any]) -> tuple[str, dict[str, Any], Any, str]:
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


@pytest.mark.parametrize(("path", "method", "op"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m, _o in OPERATIONS])
def test_api_operation_never_answers_500_to_generated_input(path, method, op, client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        rows_fill()
        token = api_key_for(szef)
    client_a.raise_request_exception = False
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    failures: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(call=_call(path, op))
    def run(call: tuple[str, dict[str, Any], Any, str]) -> None:
        url, query, body, kind = call
        sid = transaction.savepoint()
        try:
            if method == "get":
                response = client_a.get(url, query, **auth)
            elif kind == "multipart":
                response = client_a.post(url, _multipart(body), **auth)
            else:
                data = json.dumps(body, default=str) if body is not None else ""
                target = url + ("?" + urlencode(query) if query else "")
                response = client_a.generic(method.upper(), target, data, content_type="application/json", **auth)
        finally:
            transaction.savepoint_rollback(sid)
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url} {query} {str(body)[:300]!r} -> {response.status_code}")

    run()
    assert not failures, "\n".join(failures[:5])
