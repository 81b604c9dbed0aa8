"""Every form of the company host: pages are discovered from the URL configuration
(filled with company A's ids), opened as Szef, and every POST form found on them
gets hostile values: first each date field alone with each edge of the calendar and
every field at once with huge numbers and long strings (the rest of the form as the
page filled it in), then Hypothesis-generated strings. Never a 500, also not on the
page a successful POST redirects to. The same for the forms of the public host, as
an anonymous visitor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.security.fuzz import EDGE_DATES, HOSTILE_TEXT, form_values, is_date_like
from tests.security.pages import Field, company_scan, defaults, pages_scan
from tests.security.urlmap import public_endpoints

EXAMPLES = 8


def hostile_posts(fields: dict[str, Field]) -> list[dict[str, Any]]:
    """Form data sent to every form on every run."""
    base = defaults(fields)
    posts = []
    for name, f in fields.items():
        if f.kind != "file" and is_date_like(name, kind=f.kind, value=f.value):
            posts += [{**base, name: value} for value in EDGE_DATES]
    plain = [n for n, f in fields.items() if f.kind not in ("file", "submit", "button", "hidden")]
    posts += [{**base, **{n: value for n in plain}} for value in HOSTILE_TEXT]
    return posts


def _post(client: Client, action: str, data: dict[str, Any]) -> Any:
    """POST and follow the redirect (the page showing what was saved must open too),
    then roll back."""
    sid = transaction.savepoint()
    try:
        return client.post(action, data, follow=True)
    finally:
        transaction.savepoint_rollback(sid)


def fuzz_forms(client: Client, forms: dict[str, dict[str, Field]], relogin: Callable[[], Any]) -> list[str]:
    failures: list[str] = []
    for action, fields in sorted(forms.items()):
        for data in hostile_posts(fields):
            relogin()
            response = _post(client, action, data)
            if response.status_code >= 500:
                failures.append(f"POST {action} {str(data)[:300]!r} -> {response.status_code}")
        failures += _fuzz_one(client, action, fields, relogin)
    return failures


def _fuzz_one(client: Client, action: str, fields: dict[str, Field], relogin: Callable[[], Any]) -> list[str]:
    failures: list[str] = []
    names = list(fields) or ["name", "q"]
    kinds = {n: f.kind for n, f in fields.items()}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=form_values(names, kinds), filled=st.booleans(), extra=st.booleans())
    def run(data: dict[str, Any], filled: bool, extra: bool) -> None:
        relogin()
        if filled:
            data = {**defaults(fields), **data}
        if extra:
            data = {**data, "unexpected_field": "x" * 300}
        response = _post(client, action, data)
        if response.status_code >= 500:
            failures.append(f"POST {action} {str(data)[:300]!r} -> {response.status_code}")

    run()
    return failures


COMPANY_SHARDS = 3  # test_fuzz_company_forms_<n>.py: one file each, so parallel workers share the work


def company_forms_fuzz(client_a: Any, company_a: Any, szef: Any, *, shard: int) -> None:
    """Fuzz every `COMPANY_SHARDS`-th company form (by action, from `shard`): the forms
    are many, and pytest-xdist hands whole files to its workers."""
    client_a.raise_request_exception = False
    forms = company_scan(client_a, company_a, szef).post_forms
    assert len(forms) >= COMPANY_SHARDS, "no POST form found on the pages"
    mine = {action: fields for i, (action, fields) in enumerate(sorted(forms.items())) if i % COMPANY_SHARDS == shard}

    failures = fuzz_forms(client_a, mine, relogin=lambda: client_a.login_kept(szef))

    assert not failures, "\n".join(failures[:10])


def test_every_public_form_survives_random_input(companies, db):
    client = Client(HTTP_HOST=django_settings.IMCRM_BASE_DOMAIN, raise_request_exception=False)
    pages = [e.template for e in public_endpoints() if not e.has_params and not e.template.startswith("/admin/")]
    forms = pages_scan(client, pages).post_forms
    assert forms, "no POST form on the public site"

    failures = fuzz_forms(client, forms, relogin=lambda: None)

    assert not failures, "\n".join(failures[:10])


@pytest.mark.parametrize("host", ["company", "public"])
def test_nul_characters_in_the_address_answer_400_not_500(host, client_a, public_client):
    client = client_a if host == "company" else public_client
    client.raise_request_exception = False
    for query in ("search=%00", "tag=a%00b", "q=\x00"):
        response = client.get(f"/?{query}")
        assert response.status_code == 400
