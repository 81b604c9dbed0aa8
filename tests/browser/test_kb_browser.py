"""In a real browser: a knowledge-base article whose Markdown carries scripts, event
attributes and `javascript:` links runs none of them, on the public page /kb/ (no login)
and in the editor's live preview."""

from __future__ import annotations

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from crm.kb.models import ArticleGroup
from crm.kb.services import article_create

EVIL = (
    "Zwykły **tekst**.\n\n"
    "<script>window.__pwned = 1; alert(1)</script>\n\n"
    '<img src="/nie-ma.png" onerror="window.__pwned = 2; alert(2)">\n\n'
    "![obraz](/nie-ma.png)\n\n"
    '[kliknij](javascript:window.__pwned=3;alert(3)) <a href="javascript:alert(4)" id="evil">link</a>\n\n'
    '<svg onload="window.__pwned = 5"></svg> <iframe src="javascript:alert(6)"></iframe>'
)


def _watch(page) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def test_a_public_article_with_scripts_runs_none_of_them(committed, page, live_url):
    with schema_context(committed.a.schema_name):
        group = ArticleGroup.objects.create(name="Pomoc", slug="pomoc")
        article_create(actor=None, title="Zły artykuł", group=group, body=EVIL, public=True)
    dialogs = _watch(page)

    page.goto(live_url("alfa", "/kb/pomoc/zly-artykul/"))
    expect(page.get_by_test_id("kb-body")).to_contain_text("Zwykły tekst")
    page.get_by_test_id("kb-body").get_by_text("kliknij").click()
    page.wait_for_timeout(300)

    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert page.locator("[data-testid=kb-body] script, [data-testid=kb-body] iframe").count() == 0
    assert "<script>window.__pwned" in page.get_by_test_id("kb-body").inner_text()  # shown as text


def test_the_editors_preview_shows_markdown_without_running_scripts(committed, page, live_url):
    with schema_context(committed.a.schema_name):
        ArticleGroup.objects.create(name="Pomoc", slug="pomoc")
    dialogs = _watch(page)
    page.goto(live_url("alfa", "/accounts/login/"))
    page.fill("input[name=login]", "szef@alfa.test")
    page.fill("input[name=password]", "Haslo-testowe-123")
    page.click("button[type=submit]")
    page.wait_for_url(live_url("alfa", "/"))

    page.goto(live_url("alfa", "/knowledge/new/"))
    with page.expect_response(lambda r: "/knowledge/preview/" in r.url):
        page.fill("textarea[name=body]", EVIL)
        page.locator("textarea[name=body]").press("End")
    expect(page.locator("#kb-preview strong")).to_have_text("tekst")
    page.wait_for_timeout(300)

    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
