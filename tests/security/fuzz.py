"""Hypothesis strategies for hostile input: values of the right type next to junk.

`for_schema` follows an OpenAPI schema (from drf-spectacular) loosely: each field
gets either a plausible value of its type or something it should refuse (wrong
type, huge, empty, control characters, path traversal, markup). Dates include the
edges of the calendar (`0001-01-01`, `9999-12-31`, with and without a time zone),
integers go far past 64 bits, strings run to tens of thousands of characters, and
JSON bodies nest thousands of levels deep.

`hostile_values` lists, for one parameter, the values every target is sent
deterministically before Hypothesis draws its own (and `HOSTILE_TEXT` those sent to
all fields at once): the classes that once gave 500s must be tried on every run,
not only when the random draw happens to hit them."""

from __future__ import annotations

import re
from datetime import date, datetime
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
        "²",  # str.isdigit() says yes, int() says no
        "①②③",
        "١٢٣",
    ]
)
LONG_TEXT = ["x" * 20_000, "9" * 5000, "ą" * 4000, "%" * 3000]
TEXT = st.one_of(NASTY_TEXT, st.text(max_size=60), st.sampled_from(LONG_TEXT))
HUGE_INTS = [2**31, 2**53 + 1, 2**63, -(2**63) - 1, 10**20, -(10**30), 10**300]
INTS = st.one_of(st.sampled_from([0, -1, 1, MARK_ID, *HUGE_INTS]), st.integers())

# Sent on every run to every date parameter: the edges of what datetime can hold,
# with and without a time zone, just outside what the product accepts, and things
# that only look like dates. More for Hypothesis to draw from in OTHER_DATES.
EDGE_DATES = [
    "0001-01-01",
    "9999-12-31",
    "1899-12-31",
    "2201-01-01",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59",
    "0001-01-01T00:00:00-14:00",
    "9999-12-31T23:59:59.999999+14:00",
    "0000-00-00",
    "10000-01-01",
    "2024-02-30",
    "2024-13-01T25:61",
]
OTHER_DATES = ["0001-01-01 00:00", "9999-12-31 23:59", "-2024-01-01", "99999999", "1900-01-01", "2200-12-31T23:59"]
DATES = st.one_of(
    st.sampled_from(EDGE_DATES + OTHER_DATES),
    st.dates().map(date.isoformat),
    st.datetimes().map(datetime.isoformat),
    TEXT,
)
_DATE_NAME = re.compile(r"date|(^|_)day($|_)|since|until|deadline|close|_at$|_on$|^(from|to)$", re.IGNORECASE)
_DATE_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}")
DATE_KINDS = ("date", "datetime-local", "datetime", "time", "month", "week")


def is_date_like(name: str, *, kind: str = "", value: str = "") -> bool:
    """A parameter that carries a date: by input type, by name or by its current value."""
    return kind in DATE_KINDS or bool(_DATE_NAME.search(name)) or bool(_DATE_VALUE.match(value or ""))


HUGE_NUMBER = str(10**20)
HOSTILE_TEXT = [HUGE_NUMBER, "9" * 5000, "x" * 20_000, "²" * 10]


def hostile_values(name: str, *, kind: str = "", value: str = "") -> list[str]:
    """Values every run sends to this parameter alone, one request each."""
    if is_date_like(name, kind=kind, value=value):
        return [*EDGE_DATES, HUGE_NUMBER]
    return [HUGE_NUMBER]


def deep_json_text(depth: int, shape: str = "list") -> str:
    """JSON text nested `depth` levels (built as text: Python cannot dump it)."""
    if shape == "object":
        return '{"a":' * depth + "1" + "}" * depth
    if shape == "mixed":
        return '{"a":[' * (depth // 2) + "1" + "]}" * (depth // 2)
    return "[" * depth + "]" * depth


DEEP_JSON_TEXT = st.builds(
    deep_json_text, st.integers(min_value=33, max_value=5000), st.sampled_from(["list", "object", "mixed"])
)


def _nest(depth: int, leaf: Any) -> Any:
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"a": value}
    return value


# Deep but still printable by json.dumps: for fields that take any JSON.
DEEP_VALUES = st.builds(_nest, st.integers(min_value=10, max_value=200), st.one_of(TEXT, INTS, st.none()))
JUNK = st.one_of(
    TEXT,
    INTS,
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.one_of(TEXT, INTS), max_size=4),
    st.dictionaries(st.text(max_size=8), TEXT, max_size=3),
    DEEP_VALUES,
)


def resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in schema and seen < 10:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = components.get(name, {})
        seen += 1
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged.update(resolve(part, components))
        return merged
    return schema


def typed(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """A plausible value for `schema` (may still be invalid: that is the point)."""
    schema = resolve(schema, components)
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
        if fmt in ("date", "date-time"):
            return DATES
        if fmt == "email":
            return st.one_of(st.emails(), TEXT)
        if fmt == "decimal":
            return st.one_of(st.decimals(allow_nan=False, places=2).map(str), TEXT)
        if fmt == "uri":
            return st.one_of(st.just("https://example.com/x"), TEXT)
        return TEXT
    return JUNK


def for_schema(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    schema = resolve(schema, components)
    props = schema.get("properties", {})
    if not props:
        return st.dictionaries(st.text(max_size=10), JUNK, max_size=4)
    fields = {
        name: st.one_of(typed(sub, components, depth), JUNK, *([DATES] if is_date_like(name) else []))
        for name, sub in props.items()
        if not resolve(sub, components).get("readOnly")
    }
    return st.fixed_dictionaries({}, optional=fields)


def param_value(name: str, *, kind: str = "", value: str = "") -> st.SearchStrategy[str]:
    """A string for one form field or query parameter."""
    options = [TEXT, INTS.map(str), st.sampled_from(hostile_values(name, kind=kind, value=value) + HOSTILE_TEXT)]
    if is_date_like(name, kind=kind, value=value):
        options.append(DATES)
    return st.one_of(options)


def form_values(names: list[str], kinds: dict[str, str] | None = None) -> st.SearchStrategy[dict[str, Any]]:
    kinds = kinds or {}
    return st.fixed_dictionaries({}, optional={n: param_value(n, kind=kinds.get(n, "")) for n in names})
