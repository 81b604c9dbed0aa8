"""Markdown is turned into HTML and sanitised on save: scripts, event attributes and
`javascript:` links never reach a page (the browser check: tests/browser/test_kb_browser.py)."""

from __future__ import annotations

from html.parser import HTMLParser

from django_tenants.utils import schema_context

from crm.kb.markup import markdown_to_safe_html
from tests.crm.kb.factories import ArticleGroupFactory, article_make

EVIL = (
    "<script>alert(1)</script>\n\n"
    '<img src="x" onerror="alert(2)">\n\n'
    "[kliknij](javascript:alert(3))\n\n"
    '<a href="javascript:alert(4)">link</a>\n\n'
    "![obraz](x onerror=alert(5))\n\n"
    "[dobry](https://example.com)"
)


class _Elements(HTMLParser):
    """The tags and attributes a browser would build (escaped text is only text)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(name, value or "") for name, value in attrs]


def _dangers(html: str) -> list[str]:
    parsed = _Elements()
    parsed.feed(html)
    found = [tag for tag in parsed.tags if tag in ("script", "iframe", "object", "embed", "style")]
    found += [name for name, _value in parsed.attrs if name.startswith("on")]
    found += [value for name, value in parsed.attrs if name in ("href", "src") and "javascript:" in value.lower()]
    return found


def test_scripts_event_attributes_and_javascript_links_are_removed():
    html = markdown_to_safe_html(EVIL)

    assert _dangers(html) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">dobry</a>' in html


def test_raw_html_is_shown_as_text_not_markup():
    html = markdown_to_safe_html('<b onclick="x()">hej</b>')

    assert "<b" not in html and "&lt;b onclick" in html


def test_the_stored_and_served_html_is_the_sanitised_one(client_a, company_a):
    with schema_context(company_a.schema_name):
        group = ArticleGroupFactory(slug="pomoc")
        article = article_make(title="Zły", body=EVIL, public=True, group=group)
        assert _dangers(article.body_html) == [] and article.body == EVIL  # the source is kept as written

    html = client_a.get("/kb/pomoc/zly/").content.decode()

    assert _dangers(html) == []
