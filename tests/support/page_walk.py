"""One browser walk over the discovered pages of both hosts, shared by the checks made
on every page: axe-core (no serious or critical accessibility violation, at desktop and
phone width) and the Content Security Policy (no violation, no server error).

Each page is opened once and both checks look at that visit: the browser console is
watched for CSP reports the whole time, and axe runs on the pages it audits. The walk is
made by the first test of a module that asks for it (`walk_fixture`); the module's other
tests judge the same visits, each its own check, so each fails on its own.

The pages are discovered, not listed (the URL configuration of both hosts, as the
security tests walk it), as Szef of company A with the demo data plus one row of every
kind at the id the URL map uses (tests/security/objects.py)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db.models import FileField
from django_tenants.utils import schema_context

from tests.security.urlmap import Endpoint, company_endpoints, public_endpoints
from tests.support.browser import sign_in

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 375)
SERIOUS = ("serious", "critical")
# axe: not pages: leaving, machine answers, downloads and exports, the Django admin's inner pages.
AXE_SKIP = (
    "/accounts/logout/",
    "/operator/accounts/logout/",
    "/api/schema/",
    "/admin/logout/",
    "/healthz",
    "/i18n/setlang/",
    "/robots.txt",
)
AXE_SKIP_PARTS = ("export", "download", "/file/", ".csv", ".ics", "/stripe/")
# CSP: every GET but leaving, the schema, the health check and the language switch.
CSP_SKIP = ("/accounts/logout/", "/api/schema/", "/admin/logout/", "/healthz", "/i18n/setlang/")
CSP_OBJECT_URLS = 3  # the CSP walk opens up to three variants of a page of an object
AXE_RUN = (
    "async () => (await axe.run(document, {resultTypes: ['violations'], rules: {'target-size': {enabled: true}}})).violations"
    ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
    " nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '')"
    ".split('\\n').slice(1, 2).join(''))}))"
)


@dataclass
class Visit:
    url: str
    status: int | None = None  # None: no answer a browser shows (a download, an empty 4xx)
    audited: bool = False  # axe ran on it (an HTML document, below 400)
    axe: list[str] = field(default_factory=list)  # serious and critical findings, as text
    csp: list[str] = field(default_factory=list)  # CSP reports in the console while it was open


@dataclass
class Walk:
    public_axe: list[str] = field(default_factory=list)  # paths axe audits on the public site
    company_axe: list[str] = field(default_factory=list)  # ... and on company A (as Szef)
    axe: list[Visit] = field(default_factory=list)  # visits axe was asked to audit
    csp_plain: list[Visit] = field(default_factory=list)  # GET pages without arguments (the CSP walk)
    csp_objects: list[Visit] = field(default_factory=list)  # pages of an object (the CSP walk)
    csp_other: list[Visit] = field(default_factory=list)  # the company's login page, before signing in


def axe_findings(walk: Walk) -> tuple[int, list[str]]:
    """(how many pages axe audited, their serious and critical findings as text)."""
    audited = [visit for visit in walk.axe if visit.audited]
    return len(audited), [line for visit in audited for line in visit.axe]


def csp_violations(visits: list[Visit]) -> list[str]:
    return [line for visit in visits for line in visit.csp]


def server_errors(visits: list[Visit]) -> dict[str, int]:
    """The visited URLs that answered with a server error, and its status."""
    return {visit.url: visit.status for visit in visits if visit.status is not None and visit.status >= 500}


def _axe_page(endpoint: Endpoint, *, with_objects: bool) -> str | None:
    path = endpoint.template
    if endpoint.is_api or path.startswith(AXE_SKIP) or any(part in path for part in AXE_SKIP_PARTS):
        return None
    if path.startswith("/admin/") and path != "/admin/login/":
        return None
    if not endpoint.has_params:
        return path
    if with_objects and endpoint.has_object_ids:
        return endpoint.urls()[0]
    return None


def _csp_pages(endpoint: Endpoint, *, public: bool) -> list[str]:
    path = endpoint.template
    if path.startswith(CSP_SKIP):
        return []
    if not endpoint.has_params:
        return [] if public and path.startswith("/admin/") and path != "/admin/login/" else [path]
    if public or endpoint.is_api or not endpoint.has_object_ids:
        return []
    return endpoint.urls()[:CSP_OBJECT_URLS]


# After the load event: htmx has nothing in flight, swapping or settling, then a frame is drawn.
SETTLED = """() => new Promise((resolve) => {
  const until = performance.now() + 5000;
  const busy = () => document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling");
  const check = () => busy() && performance.now() < until ? setTimeout(check, 10) : requestAnimationFrame(() => setTimeout(resolve));
  check();
})"""


class _Walker:
    def __init__(self, page: Any) -> None:
        self.page = page
        self.current: Visit | None = None
        self.pending: set[Any] = set()  # the page's requests without an answer yet
        page.on("console", self._console)
        page.on("request", lambda request: self.pending.add(request))
        page.on("requestfinished", lambda request: self.pending.discard(request))
        page.on("requestfailed", lambda request: self.pending.discard(request))

    def _console(self, msg: Any) -> None:
        text = msg.text
        if ("Content Security Policy" in text or "Refused to" in text) and self.current is not None:
            self.current.csp.append(f"{self.page.url}: {text}")

    def _settle(self) -> None:
        """Late scripts (the bell's and the timer's fetches, htmx loads) have had their answers
        and drawn them before we judge, however long the server took."""
        deadline = time.monotonic() + 5
        while self.pending and time.monotonic() < deadline:
            self.page.wait_for_timeout(10)  # lets Playwright deliver the answers' events
        self.page.evaluate(SETTLED)

    def _goto(self, url: str) -> Any:
        from playwright.sync_api import Error

        for attempt in range(3):
            try:
                return self.page.goto(url, wait_until="load")
            except Error as exc:
                if "net::ERR_" in str(exc):
                    # An empty answer: Chromium goes on to its error page, which would cut the
                    # next page's navigation short if it were still coming.
                    with contextlib.suppress(Error):
                        self.page.wait_for_url(lambda u: u.startswith("chrome-error:"), timeout=2_000)
                if "interrupted by another navigation" not in str(exc) or attempt == 2:
                    raise
                with contextlib.suppress(Error):
                    self.page.wait_for_load_state("load")
        raise AssertionError(url)  # not reached

    def visit(self, url: str, *, audit: bool) -> Visit:
        """Opens `url` (the CSP reports of the visit are kept); when `audit`, runs axe once per
        width on it unless the answer is no page (an error, a download, a piece htmx swaps in)."""
        from playwright.sync_api import Error

        page = self.page
        visit = self.current = Visit(url)
        try:
            response = self._goto(url)
        except Error:  # an empty 4xx (a POST-only endpoint) or a download: not a page
            return visit
        if response is None:
            return visit
        visit.status = response.status
        if "text/html" not in (response.headers.get("content-type") or ""):
            return visit
        self._settle()
        if not audit or response.status >= 400 or not response.text().lstrip()[:15].lower().startswith("<!doctype"):
            return visit  # axe: an htmx partial opened on its own is no page
        if page.locator("#swagger-ui").count():  # /api/docs/ draws itself after fetching the schema
            page.wait_for_selector("#swagger-ui .opblock", timeout=15_000)
        visit.audited = True
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            try:
                found = page.evaluate(AXE_RUN)
            except Error as exc:  # a failure of the accessibility check, not of the CSP check
                visit.axe.append(f"{url} @{width}px: axe did not run: {exc}")
                continue
            for v in found:
                if v["impact"] in SERIOUS:
                    nodes = "\n      ".join(v["nodes"])
                    visit.axe.append(f"{url} @{width}px [{v['impact']}] {v['id']}: {v['help']}\n      {nodes}")
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        return visit


def page_walk(browser: Any, company: Any, live_url: Callable[[str | None, str], str], *, objects: bool) -> Walk:
    """The public site and company A's pages without arguments (`objects=False`), or the
    pages of company A's objects: cards, edit forms, panels (`objects=True`)."""
    from crm.demo.seed import demo_data_seed
    from tests.security.objects import rows_fill

    with schema_context(company.schema_name):
        demo_data_seed(company=company)
        filled = rows_fill()
    context = browser.new_context(locale="pl-PL", viewport={"width": WIDTHS[0], "height": 900})
    context.set_default_timeout(15_000)
    # axe-core in every document before its own scripts (CSP does not apply to the test's code):
    # Chromium keeps it compiled, where sending it with each page's evaluate cost ~90 ms a page.
    context.add_init_script(path=str(AXE))
    walker = _Walker(context.new_page())
    walk = Walk()

    def go(url: str, *, axe: bool, csp: list[Visit] | None) -> None:
        visit = walker.visit(url, audit=axe)
        if axe:
            walk.axe.append(visit)
        if csp is not None:
            csp.append(visit)

    try:
        if not objects:
            for endpoint in public_endpoints():
                if endpoint.has_params:
                    continue
                axe_path = _axe_page(endpoint, with_objects=False)
                csp_paths = _csp_pages(endpoint, public=True)
                if axe_path:
                    walk.public_axe.append(axe_path)
                if axe_path or csp_paths:
                    go(live_url(None, endpoint.template), axe=bool(axe_path), csp=walk.csp_plain if csp_paths else None)
            go(live_url("alfa", "/accounts/login/"), axe=True, csp=walk.csp_other)
        sign_in(walker.page, live_url)
        for endpoint in company_endpoints():
            if endpoint.has_params != objects:
                continue
            axe_path = _axe_page(endpoint, with_objects=objects)
            if axe_path:
                walk.company_axe.append(axe_path)
            csp_paths = _csp_pages(endpoint, public=False)
            target = walk.csp_objects if objects else walk.csp_plain
            for path in dict.fromkeys([*([axe_path] if axe_path else []), *csp_paths]):
                go(live_url("alfa", path), axe=path == axe_path, csp=target if path in csp_paths else None)
    finally:
        walker.current = None
        context.close()
        with schema_context(company.schema_name):
            for row in filled.rows.values():
                for field_ in row._meta.concrete_fields:
                    if isinstance(field_, FileField) and getattr(row, field_.name):
                        getattr(row, field_.name).delete(save=False)
    return walk


def walk_fixture(*, objects: bool) -> Any:
    """A module's `walk` fixture: the walk is made by the module's first test that asks
    for it (inside its `committed`, which cleans the rows afterwards) and kept for the rest."""

    @pytest.fixture(scope="module")
    def _walk_memo() -> dict[str, Any]:
        return {}

    @pytest.fixture
    def walk(
        _walk_memo: dict[str, Any], committed: Any, browser: Any, live_url: Callable[[str | None, str], str]
    ) -> Iterator[Walk]:
        if "error" in _walk_memo:
            pytest.fail(f"the page walk failed in an earlier test of this module: {_walk_memo['error']!r}")
        if "walk" not in _walk_memo:
            try:
                _walk_memo["walk"] = page_walk(browser, committed.a, live_url, objects=objects)
            except Exception as exc:
                _walk_memo["error"] = exc
                raise
        yield _walk_memo["walk"]

    return _walk_memo, walk
