"""Every form of the company host: pages are discovered from the URL configuration
(filled with company A's ids), opened as Szef, and every POST form found on them
gets Hypothesis-generated strings in its fields. Never a 500. The same for the
forms of the public host, as an anonymous visitor."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.security.fuzz import form_values
from tests.security.objects import rows_fill
from tests.security.urlmap import company_endpoints, public_endpoints

SKIP_ACTIONS = ("/accounts/logout/", "/admin/logout/", "/i18n/setlang/")
EXAMPLES = 8


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._current: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._current = {"method": a.get("method", "get").lower(), "action": a.get("action", ""), "fields": {}}
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "select", "textarea", "button") and a.get("name"):
            self._current["fields"][a["name"]] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def _post_forms(client: Client, pages: list[str]) -> dict[str, list[str]]:
    """{action URL: field names} of the POST forms on `pages`."""
    found: dict[str, list[str]] = {}
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(response.content.decode(errors="replace"))
        for form in parser.forms:
            if form["method"] != "post":
                continue
            action = urlsplit(urljoin(page, form["action"] or page)).path
            if action.startswith(SKIP_ACTIONS):
                continue
            names = [n for n in form["fields"] if n != "csrfmiddlewaretoken"]
            found.setdefault(action, [])
            found[action] = sorted({*found[action], *names})
    return found


def _fuzz(client: Client, forms: dict[str, list[str]], relogin: Any) -> list[str]:
    failures: list[str] = []
    for action, names in sorted(forms.items()):
        failures += _fuzz_one(client, action, names, relogin)
    return failures


def _fuzz_one(client: Client, action: str, names: list[str], relogin: Any) -> list[str]:
    failures: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=form_values(names or ["name", "q"]), extra=st.booleans())
    def run(data: dict[str, Any], extra: bool) -> None:
        relogin()
        if extra:
            data = {**data, "unexpected_field": "x" * 300}
        sid = transaction.savepoint()
        try:
            response = client.post(action, data)
        finally:
            transaction.savepoint_rollback(sid)
        if response.status_code >= 500:
            failures.append(f"POST {action} {str(data)[:300]!r} -> {response.status_code}")

    run()
    return failures


def test_every_company_form_survives_random_input_as_szef(client_a, company_a, szef):
    with schema_context(company_a.schema_name):
        rows_fill()
    client_a.raise_request_exception = False
    client_a.login_as(szef)
    pages = [url for e in company_endpoints() if not e.is_api for url in e.urls()]
    forms = _post_forms(client_a, pages)
    assert forms, "no POST form found on any page"

    failures = _fuzz(client_a, forms, relogin=lambda: client_a.login_as(szef))

    assert not failures, "\n".join(failures[:10])


def test_every_public_form_survives_random_input(companies, db):
    client = Client(HTTP_HOST=django_settings.IMCRM_BASE_DOMAIN, raise_request_exception=False)
    pages = [e.template for e in public_endpoints() if not e.has_params and not e.template.startswith("/admin/")]
    forms = _post_forms(client, pages)
    assert forms, "no POST form on the public site"

    failures = _fuzz(client, forms, relogin=lambda: None)

    assert not failures, "\n".join(failures[:10])


@pytest.mark.parametrize("host", ["company", "public"])
def test_nul_characters_in_the_address_answer_400_not_500(host, client_a, public_client):
    client = client_a if host == "company" else public_client
    client.raise_request_exception = False
    for query in ("search=%00", "tag=a%00b", "q=\x00"):
        response = client.get(f"/?{query}")
        assert response.status_code == 400
