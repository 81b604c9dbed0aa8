"""A real browser loads the pages under the Content Security Policy and reports any
violation: the main pages, then every GET page of both hosts that takes no
arguments (discovered from the URL configuration)."""

from __future__ import annotations

from typing import Any

from tests.conftest import PASSWORD
from tests.security.urlmap import company_endpoints, public_endpoints

SKIP = ("/accounts/logout/", "/api/schema/", "/admin/logout/", "/healthz", "/i18n/setlang/")


def _watch(page: Any) -> list[str]:
    violations: list[str] = []

    def on_console(msg: Any) -> None:
        text = msg.text
        if "Content Security Policy" in text or "Refused to" in text:
            violations.append(f"{page.url}: {text}")

    page.on("console", on_console)
    return violations


def _visit(page: Any, url: str) -> int | None:
    from playwright.sync_api import Error

    try:
        response = page.goto(url, wait_until="load")
    except Error:  # an empty 4xx (a POST-only endpoint) or a download: not a page
        return None
    if response is not None and "text/html" in (response.headers.get("content-type") or ""):
        page.wait_for_timeout(150)  # late scripts (htmx, Bootstrap) run before we judge
    return response.status if response is not None else None


def _plain_gets(endpoints: list[Any]) -> list[str]:
    return [e.template for e in endpoints if not e.has_params and not e.template.startswith(SKIP)]


def test_main_pages_raise_no_csp_violation(committed, page, live_url):
    violations = _watch(page)
    for url in (live_url(None, "/"), live_url(None, "/signup/"), live_url("alfa", "/accounts/login/")):
        _visit(page, url)
    page.fill("input[name=login]", "szef@alfa.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    _visit(page, live_url("alfa", "/"))
    page.wait_for_timeout(300)

    assert not violations, "\n".join(violations)


def test_every_page_without_arguments_raises_no_csp_violation(committed, page, live_url):
    violations = _watch(page)
    statuses = {}
    for path in _plain_gets(public_endpoints()):
        if path.startswith("/admin/") and path != "/admin/login/":
            continue
        statuses[live_url(None, path)] = _visit(page, live_url(None, path))

    _visit(page, live_url("alfa", "/accounts/login/"))
    page.fill("input[name=login]", "szef@alfa.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    for path in _plain_gets(company_endpoints()):
        statuses[live_url("alfa", path)] = _visit(page, live_url("alfa", path))

    assert len(statuses) >= 10
    assert not violations, "\n".join(violations)
    errors = {url: status for url, status in statuses.items() if status is not None and status >= 500}
    assert not errors, errors


def test_every_page_of_an_object_raises_no_csp_violation(committed, page, live_url):
    """Cards, edit forms and panels of real rows (colour chips, timelines, files)."""
    from django.db.models import FileField
    from django_tenants.utils import schema_context

    from tests.security.objects import rows_fill

    with schema_context(committed.a.schema_name):
        filled = rows_fill()
    violations = _watch(page)
    statuses = {}
    try:
        _visit(page, live_url("alfa", "/accounts/login/"))
        page.fill("input[name=login]", "szef@alfa.test")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("load")
        for endpoint in company_endpoints():
            if endpoint.is_api or not endpoint.has_object_ids or endpoint.template.startswith(SKIP):
                continue
            for path in endpoint.urls()[:3]:
                statuses[path] = _visit(page, live_url("alfa", path))
    finally:
        with schema_context(committed.a.schema_name):
            for row in filled.rows.values():
                for field in row._meta.concrete_fields:
                    if isinstance(field, FileField) and getattr(row, field.name):
                        getattr(row, field.name).delete(save=False)

    assert sum(1 for status in statuses.values() if status == 200) >= 5, statuses
    assert not violations, "\n".join(violations)
    errors = {url: status for url, status in statuses.items() if status is not None and status >= 500}
    assert not errors, errors
