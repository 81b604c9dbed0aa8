"""axe-core (vendored in tests/support/vendor/axe-core) checks every page a person
opens, at desktop and phone width: no serious or critical accessibility violation.

The pages are discovered, not listed (the URL configuration of both hosts, as the
security tests walk it): the public site, the company's login page, then as Szef of a
company with sample data every page without arguments and the first page of each
object (card, edit form, panel). A page added later is checked by itself."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db.models import FileField
from django_tenants.utils import schema_context

from tests.security.urlmap import Endpoint, company_endpoints, public_endpoints
from tests.support.browser import sign_in

AXE = Path(__file__).resolve().parents[1] / "support" / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 375)
SERIOUS = ("serious", "critical")
# Not pages: leaving, machine answers, downloads and exports, the Django admin's inner pages.
SKIP = (
    "/accounts/logout/",
    "/operator/accounts/logout/",
    "/api/schema/",
    "/admin/logout/",
    "/healthz",
    "/i18n/setlang/",
    "/robots.txt",
)
SKIP_PARTS = ("export", "download", "/file/", ".csv", ".ics", "/stripe/")


def _pages(endpoints: list[Endpoint], *, with_objects: bool) -> list[str]:
    out: list[str] = []
    for endpoint in endpoints:
        path = endpoint.template
        if endpoint.is_api or path.startswith(SKIP) or any(part in path for part in SKIP_PARTS):
            continue
        if path.startswith("/admin/") and path != "/admin/login/":
            continue
        if not endpoint.has_params:
            out.append(path)
        elif with_objects and endpoint.has_object_ids:
            out.append(endpoint.urls()[0])
    return out


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def _audit(page: Any, url: str) -> list[str] | None:
    """Loads `url`, runs axe once per width; the serious and critical findings as text
    (None when the answer is no page: an error, a download, a piece htmx swaps in)."""
    from playwright.sync_api import Error

    try:
        response = page.goto(url, wait_until="load")
    except Error:  # a download or an empty answer
        return None
    if response is None or response.status >= 400 or "text/html" not in (response.headers.get("content-type") or ""):
        return None
    if not response.text().lstrip()[:15].lower().startswith("<!doctype"):
        return None  # an htmx partial opened on its own
    page.wait_for_timeout(100)  # late scripts (htmx loads, charts) run before we judge
    if page.locator("#swagger-ui").count():  # /api/docs/ draws itself after fetching the schema
        page.wait_for_selector("#swagger-ui .opblock", timeout=15_000)
    found: list[str] = []
    page.evaluate(_axe_source())  # once per page (a new size keeps it); CSP does not apply to the test's own code
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations'], rules: {'target-size': {enabled: true}}})).violations"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '')"
            ".split('\\n').slice(1, 2).join(''))}))"
        )
        for v in violations:
            if v["impact"] in SERIOUS:
                nodes = "\n      ".join(v["nodes"])
                found.append(f"{url} @{width}px [{v['impact']}] {v['id']}: {v['help']}\n      {nodes}")
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    return found


@pytest.fixture
def sample_company(committed: Any) -> Iterator[Any]:
    """Company A with the demo data plus one row of every kind at the id the URL map uses."""
    from crm.demo.seed import demo_data_seed
    from tests.security.objects import rows_fill

    with schema_context(committed.a.schema_name):
        demo_data_seed(company=committed.a)
        filled = rows_fill()
    try:
        yield committed.a
    finally:
        with schema_context(committed.a.schema_name):
            for row in filled.rows.values():
                for field in row._meta.concrete_fields:
                    if isinstance(field, FileField) and getattr(row, field.name):
                        getattr(row, field.name).delete(save=False)


def test_every_page_has_no_serious_accessibility_violation_at_desktop_and_phone_width(
    sample_company: Any, page: Any, live_url: Callable[[str | None, str], str]
) -> None:
    public = _pages(public_endpoints(), with_objects=False)
    company = _pages(company_endpoints(), with_objects=True)
    assert "/" in public and "/signup/" in public
    assert {"/", "/customers/", "/deals/", "/tasks/", "/settings/"} <= set(company), company

    results = [_audit(page, live_url(None, path)) for path in public]
    results.append(_audit(page, live_url("alfa", "/accounts/login/")))
    sign_in(page, live_url)
    results += [_audit(page, live_url("alfa", path)) for path in company]

    audited = [found for found in results if found is not None]
    assert len(audited) >= 30, f"only {len(audited)} pages audited"
    problems = [line for found in audited for line in found]
    assert not problems, f"{len(problems)} serious accessibility violations:\n" + "\n".join(problems)
