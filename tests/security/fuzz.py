"""Hypothesis strategies for hostile input: values of the right type next to junk.

`for_schema` follows an OpenAPI schema (from drf-spectacular) loosely: each field
gets either a plausible value of its type or something it should refuse (wrong
type, huge, empty, control characters, path traversal, markup)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tests.security.urlmap import MARK_ID

NASTY_TEXT = st.sampled_from(
    [
        "",
        " ",
        "../../etc/passwd",
        "..\\..\\x",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "\x00",
        "Zażółć gęślą jaźń",
        "a" * 5000,
        "1e309",
        "NaN",
        "-1",
        "null",
        "{}",
        "%00",
        "😀" * 10,
        "2024-02-30",
        "#zzzzzz",
    ]
)
TEXT = st.one_of(NASTY_TEXT, st.text(max_size=60))
INTS = st.one_of(st.sampled_from([0, -1, 1, MARK_ID, 2**31, 2**63, -(2**63) - 1]), st.integers())
JUNK = st.one_of(
    TEXT,
    INTS,
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.one_of(TEXT, INTS), max_size=4),
    st.dictionaries(st.text(max_size=8), TEXT, max_size=3),
)


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in schema and seen < 10:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = components.get(name, {})
        seen += 1
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged.update(_resolve(part, components))
        return merged
    return schema


def typed(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """A plausible value for `schema` (may still be invalid: that is the point)."""
    schema = _resolve(schema, components)
    if schema.get("enum"):
        return st.sampled_from(schema["enum"])
    if "oneOf" in schema or "anyOf" in schema:
        options = schema.get("oneOf") or schema.get("anyOf") or []
        return st.one_of([typed(o, components, depth + 1) for o in options]) if options else JUNK
    kind, fmt = schema.get("type"), schema.get("format", "")
    if kind == "integer":
        return INTS
    if kind == "number":
        return st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.decimals(allow_nan=False).map(str))
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return st.lists(typed(schema.get("items", {}), components, depth + 1), max_size=3)
    if kind == "object" and depth < 2:
        return for_schema(schema, components, depth + 1)
    if kind == "string":
        if fmt == "date":
            return st.one_of(st.dates().map(str), TEXT)
        if fmt == "date-time":
            return st.one_of(st.datetimes().map(lambda d: d.isoformat()), TEXT)
        if fmt == "email":
            return st.one_of(st.emails(), TEXT)
        if fmt == "decimal":
            return st.one_of(st.decimals(allow_nan=False, places=2).map(str), TEXT)
        if fmt == "uri":
            return st.one_of(st.just("https://example.com/x"), TEXT)
        return TEXT
    return JUNK


def for_schema(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    schema = _resolve(schema, components)
    props = schema.get("properties", {})
    if not props:
        return st.dictionaries(st.text(max_size=10), JUNK, max_size=4)
    fields = {
        name: st.one_of(typed(sub, components, depth), JUNK)
        for name, sub in props.items()
        if not _resolve(sub, components).get("readOnly")
    }
    return st.fixed_dictionaries({}, optional=fields)


def form_values(names: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={n: st.one_of(TEXT, INTS.map(str)) for n in names})
