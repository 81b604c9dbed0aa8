"""Headless Debian Chromium driven by Playwright (never a downloaded browser).

`page` is a fresh browser context per test; `live_url(sub)` builds the URL of the
test server for a company subdomain (or the public site for None). Chromium maps
every *.localhost name to the loopback address by itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
ARTIFACTS = Path(__file__).resolve().parents[2] / ".local" / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(locale="pl-PL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    pg = context.new_page()
    try:
        yield pg
    finally:
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        context.close()


@pytest.fixture
def live_url(live_server_port: int) -> Callable[[str | None, str], str]:
    def build(subdomain: str | None = None, path: str = "/") -> str:
        host = settings.IMCRM_BASE_DOMAIN if not subdomain else f"{subdomain}.{settings.IMCRM_BASE_DOMAIN}"
        return f"http://{host}:{live_server_port}{path}"

    return build


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def sign_in(page: Any, live_url: Callable[[str | None, str], str], email: str = "szef@alfa.test") -> None:
    """Signs in on company A's login page, as a person would."""
    from tests.support.companies import PASSWORD

    page.goto(live_url("alfa", "/accounts/login/"))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_url("alfa", "/"))
