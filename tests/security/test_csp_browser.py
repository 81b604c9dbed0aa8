"""A real browser loads the main pages under the Content Security Policy and reports any
violation. Every other page of both hosts (discovered from the URL configuration) is
checked on the walk the accessibility checks share: tests/browser/test_every_page_browser.py
(pages without arguments) and tests/browser/test_every_object_page_browser.py (pages of objects)."""

from __future__ import annotations

from typing import Any

from tests.conftest import PASSWORD


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
