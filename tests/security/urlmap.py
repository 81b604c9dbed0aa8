"""Every URL pattern of a URL configuration, turned into concrete URLs to request.

The isolation, CSP and fuzz tests walk `config.urls_tenant` / `config.urls_public`
instead of keeping lists, so an endpoint added later is covered automatically.
Path parameters are filled with values that exist in company A (see objects.py):
integers get `MARK_ID`, UUIDs `MARK_UUID`, converters with a literal alternation
(`customer|deal|task`) each of their alternatives.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

MARK_ID = 7_000_001
MARK_UUID = "7a1fa5ec-0000-4000-8000-000000000001"
MARK_TEXT = "ALFA-SECRET"
MAX_VARIANTS = 12

_GROUP = re.compile(r"\(\?P<(\w+)>([^)]*)\)")
_ROUTE_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_LITERAL_ALTERNATION = re.compile(r"^[\w-]+(\|[\w-]+)*$")


@dataclass
class Endpoint:
    template: str  # e.g. /deals/{pk}/edit/
    name: str  # namespaced URL name, "" when unnamed
    module: str  # the view's module
    params: dict[str, list[str]] = field(default_factory=dict)  # name -> candidate values
    is_api: bool = False

    @property
    def has_params(self) -> bool:
        return bool(self.params)

    @property
    def has_object_ids(self) -> bool:
        """An integer or UUID in the path: it names an object (opaque tokens do not)."""
        return any(v in (str(MARK_ID), MARK_UUID) for values in self.params.values() for v in values)

    def urls(self) -> list[str]:
        if not self.params:
            return [self.template]
        names = list(self.params)
        out = []
        for combo in itertools.islice(itertools.product(*(self.params[n] for n in names)), MAX_VARIANTS):
            out.append(self.template.format(**dict(zip(names, combo, strict=True))))
        return out

    def __str__(self) -> str:
        return f"{self.template} ({self.name or self.module})"


def _values_for(name: str, regex: str, converter: Any = None) -> list[str]:
    kind = type(converter).__name__ if converter is not None else ""
    if kind == "IntConverter" or regex in (r"[0-9]+", r"\d+"):
        return [str(MARK_ID)]
    if kind == "UUIDConverter" or "uuid" in name:
        return [MARK_UUID]
    if regex and _LITERAL_ALTERNATION.match(regex):
        return regex.split("|")
    if name in ("pk", "id") or name.endswith(("_pk", "_id")):
        return [str(MARK_ID)]
    return ["alfa-secret"]


def _pattern_parts(pattern: Any) -> tuple[str, dict[str, list[str]]]:
    """A pattern's piece of the template and its parameters."""
    params: dict[str, list[str]] = {}
    if isinstance(pattern, RoutePattern):
        route = str(pattern._route)
        converters = pattern.converters

        def repl(m: re.Match[str]) -> str:
            name = m.group(2)
            conv = converters.get(name)
            params[name] = _values_for(name, getattr(conv, "regex", ""), conv)
            return "{" + name + "}"

        return _ROUTE_PARAM.sub(repl, route), params
    if isinstance(pattern, RegexPattern):
        regex = str(pattern._regex)

        def repl_group(m: re.Match[str]) -> str:
            params[m.group(1)] = _values_for(m.group(1), m.group(2))
            return "{" + m.group(1) + "}"

        text = _GROUP.sub(repl_group, regex)
        text = text.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\.", ".").replace("?", "")
        return text, params
    return str(pattern), params


def endpoints(urlconf: str) -> list[Endpoint]:
    found: list[Endpoint] = []

    def walk(patterns: list[Any], prefix: str, namespace: str, params: dict[str, list[str]]) -> None:
        for p in patterns:
            piece, more = _pattern_parts(p.pattern)
            merged = {**params, **more}
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, prefix + piece, ns, merged)
            elif isinstance(p, URLPattern):
                template = "/" + (prefix + piece).lstrip("/")
                if "{format}" in template or "(" in template or "[" in template:
                    continue  # DRF format-suffix duplicates and unparsable regexes
                name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
                callback = p.callback
                module = getattr(callback, "__module__", "") or ""
                is_api = (
                    template.startswith("/api/") or hasattr(callback, "cls") or hasattr(callback, "initkwargs")
                ) and template not in BROWSER_PAGES_UNDER_API
                found.append(Endpoint(template=template, name=name, module=module, params=merged, is_api=is_api))

    walk(get_resolver(urlconf).url_patterns, "", "", {})
    return found


def company_endpoints() -> list[Endpoint]:
    return endpoints("config.urls_tenant")


def public_endpoints() -> list[Endpoint]:
    return endpoints("config.urls_public")


# Company-host URLs an anonymous visitor may open: signing in, resetting a password,
# language, health and the token endpoint. (The API's description is for signed-in
# staff: /api/schema/ answers 401, /api/docs/ sends to the login page.)
ANONYMOUS_OK_PREFIXES = (
    "/accounts/",
    "/healthz",
    "/robots.txt",
    "/i18n/",
    "/api/v1/auth/token/",
    "/static/",
    "/o/",  # the customer's page of an offer: token-guarded, 404 for a wrong token (tests/crm/offers)
    "/c/",  # the customer's page of a contract: token-guarded, 404 for a wrong token (tests/crm/contracts)
    "/kb/",  # the public knowledge base: public articles only (tests/crm/kb/test_public_kb.py)
    # the company's Stripe webhook (400 without the company's signature) and the customer's
    # page after Stripe Checkout, which shows no data (tests/crm/payments)
    "/payments/stripe/webhook/",
    "/payments/return/",
    "/portal/",  # the client portal: its own login (tests/security/test_portal_isolation.py)
    "/forms/",  # web-to-lead forms: only add a lead, 404 for an unknown slug (tests/crm/leads/test_web_forms.py)
)
# Pages for people under /api/: anonymous visitors go to the login page, as for any page.
BROWSER_PAGES_UNDER_API = ("/api/docs/",)


def is_settings(endpoint: Endpoint) -> bool:
    return endpoint.template.startswith(("/settings/", "/api/v1/settings/"))
