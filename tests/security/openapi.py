"""The company API as its OpenAPI schema describes it (drf-spectacular generates it
from the URL configuration, so an endpoint added later is here without editing)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.generators import SchemaGenerator

SCHEMA = SchemaGenerator(urlconf="config.urls_tenant").get_schema(request=None, public=True)
COMPONENTS: dict[str, Any] = SCHEMA.get("components", {}).get("schemas", {})
OPERATIONS: list[tuple[str, str, dict[str, Any]]] = [
    (path, method, op)
    for path, ops in sorted(SCHEMA.get("paths", {}).items())
    for method, op in ops.items()
    if method in ("get", "post", "put", "patch", "delete")
]


def query_parameters(op: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in op.get("parameters", []) if p.get("in") == "query"]


# GET operations that take query parameters: the API's filters.
GET_FILTERS = [(path, op) for path, method, op in OPERATIONS if method == "get" and query_parameters(op)]
