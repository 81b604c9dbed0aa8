"""What a page offers to send back: its forms (POST and GET) and the query strings of
its links. The fuzz tests open every page found in the URL configuration and feed
what they find here with hostile values, so a form or filter added later is covered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from django import forms
from django.test import Client
from django_tenants.utils import schema_context

from tests.security.objects import rows_fill
from tests.security.urlmap import company_endpoints

SKIP_ACTIONS = ("/accounts/logout/", "/admin/logout/", "/i18n/setlang/", "/static/", "/media/")


@dataclass
class Field:
    name: str
    kind: str = "text"  # input type, "select" or "textarea"
    value: str = ""  # the value the page shows (a select: its chosen option, else its first non-empty one)


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._select_chosen = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for attr in ("href", "hx-get"):
            if a.get(attr) and (tag == "a" or attr == "hx-get"):
                self.links.append(a[attr])
        if tag == "form":
            self._form = Form(method=a.get("method", "get").lower() or "get", action=a.get("action", ""))
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "select" and name:
            self._select, self._select_chosen = Field(name, "select"), False
            self._form.fields[name] = self._select
        elif tag == "option" and self._select is not None:
            if "selected" in a or (not self._select_chosen and not self._select.value):
                self._select.value = a.get("value", "")
                self._select_chosen = self._select_chosen or "selected" in a
        elif tag in ("input", "textarea", "button") and name:
            kind = a.get("type", "text").lower() if tag == "input" else tag
            if kind in ("checkbox", "radio"):
                if "checked" not in a:
                    if name not in self._form.fields:
                        self._form.fields[name] = Field(name, kind + "-off", a.get("value", "on"))
                    return
                self._form.fields[name] = Field(name, kind, a.get("value", "on"))
                return
            self._form.fields[name] = Field(name, kind, a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def page_parse(page: str, html: str) -> tuple[list[Form], dict[str, dict[str, str]]]:
    """Forms (actions made absolute paths) and {path: {query name: sample value}} of
    the same-site links on one page."""
    parser = _Parser()
    parser.feed(html)
    for form in parser.forms:
        form.action = urlsplit(urljoin(page, form.action or page)).path
    queries: dict[str, dict[str, str]] = {}
    for href in parser.links:
        parts = urlsplit(urljoin(page, href))
        if parts.netloc or not parts.query or parts.path.startswith(SKIP_ACTIONS):
            continue
        queries.setdefault(parts.path, {}).update(dict(parse_qsl(parts.query, keep_blank_values=True)))
    return parser.forms, queries


@dataclass
class Found:
    post_forms: dict[str, dict[str, Field]] = field(default_factory=dict)  # action -> fields
    get_filters: dict[str, dict[str, Field]] = field(default_factory=dict)  # path -> query parameters

    def update(self, other: Found) -> None:
        for mine, theirs in ((self.post_forms, other.post_forms), (self.get_filters, other.get_filters)):
            for path, fields in theirs.items():
                _merge(mine.setdefault(path, {}), fields)


def _kind(form_field: forms.Field) -> str:
    if isinstance(form_field, forms.DateTimeField):
        return "datetime-local"
    if isinstance(form_field, forms.DateField):
        return "date"
    if isinstance(form_field, forms.TimeField):
        return "time"
    if isinstance(form_field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return "number"
    if isinstance(form_field, forms.ChoiceField | forms.ModelChoiceField):
        return "select"
    return "text"


def _context_forms(response: Any) -> list[forms.BaseForm]:
    """Django forms the page was rendered with (the test client records the context)."""
    contexts = response.context
    if contexts is None:
        return []
    out: dict[int, forms.BaseForm] = {}
    for ctx in contexts if isinstance(contexts, list) else [contexts]:
        values = ctx.flatten().values() if hasattr(ctx, "flatten") else ctx.values()
        out.update({id(v): v for v in values if isinstance(v, forms.BaseForm)})
    return list(out.values())


def _filter_form_fields(html_fields: dict[str, Field], context_forms: list[forms.BaseForm]) -> dict[str, Field]:
    """All fields of the Django form behind a GET form, also those the page does not
    render (a hidden `day` filter set only by links): the view reads them all."""
    extra: dict[str, Field] = {}
    for form in context_forms:
        names = {form.add_prefix(n): f for n, f in form.fields.items()}
        if names and len(names.keys() & html_fields.keys()) * 2 >= len(names):
            extra.update({n: Field(n, _kind(f)) for n, f in names.items() if n not in html_fields})
    return extra


def pages_scan(client: Client, pages: list[str]) -> Found:
    """Open `pages` with `client` and collect every POST form and every GET filter
    (GET forms with the Django forms behind them, query strings of links and of htmx
    requests) they offer."""
    found = Found()
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        forms_, queries = page_parse(page, response.content.decode(errors="replace"))
        for form in forms_:
            if form.action.startswith(SKIP_ACTIONS):
                continue
            fields = {n: f for n, f in form.fields.items() if n != "csrfmiddlewaretoken"}
            if form.method == "post":
                _merge(found.post_forms.setdefault(form.action, {}), fields)
            else:
                fields.update(_filter_form_fields(fields, _context_forms(response)))
                _merge(found.get_filters.setdefault(form.action, {}), fields)
        for path, params in queries.items():
            _merge(found.get_filters.setdefault(path, {}), {n: Field(n, "link", v) for n, v in params.items()})
    return found


_COMPANY_FOUND: dict[str, Found] = {}


def company_scan(client: Any, company: Any, user: Any) -> Found:
    """Forms and filters of every company page as `user` sees them; leaves company A
    filled with `MARK_ID` rows (objects.py). Pages without ids are read before the
    fill (the home page then shows its default widgets), object pages after it. The
    result is kept for the session: the next test only fills the rows again."""
    client.login_as(user)
    key = f"{company.schema_name}:{user.pk}"
    if key not in _COMPANY_FOUND:
        endpoints = [e for e in company_endpoints() if not e.is_api]
        found = pages_scan(client, [url for e in endpoints if not e.has_params for url in e.urls()])
        with schema_context(company.schema_name):
            rows_fill()
        found.update(pages_scan(client, [url for e in endpoints if e.has_params for url in e.urls()]))
        _COMPANY_FOUND[key] = found
    with schema_context(company.schema_name):
        rows_fill()
    return _COMPANY_FOUND[key]


def _merge(into: dict[str, Field], fields: dict[str, Field]) -> None:
    for name, f in fields.items():
        known = into.get(name)
        if known is None or (not known.value and f.value):
            into[name] = f


def defaults(fields: dict[str, Field]) -> dict[str, Any]:
    """What a user submitting the form untouched would send."""
    return {
        n: f.value
        for n, f in fields.items()
        if f.kind not in ("submit", "button", "file") and not f.kind.endswith("-off")
    }
