"""What search engines and browsers get besides the visible page: the public site is
indexable with one address per page and a description, a company's pages are kept out
of search results, pages travel gzipped, and scripts never block the first paint."""

from __future__ import annotations

import gzip
import re

from django.test import Client

from tests.conftest import TenantClient


def test_public_robots_txt_opens_the_site_and_closes_the_operators_tools(public_client: Client) -> None:
    response = public_client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "User-agent: *" in body
    assert "Disallow: /operator/" in body and "Disallow: /admin/" in body
    assert "Disallow: /\n" not in body


def test_a_companys_robots_txt_closes_everything_but_the_public_knowledge_base(client_a: TenantClient) -> None:
    response = client_a.get("/robots.txt")
    assert response.status_code == 200
    assert response.content.decode().splitlines() == ["User-agent: *", "Allow: /kb/", "Disallow: /"]


def test_the_landing_page_has_a_description_and_its_canonical_address(public_client: Client) -> None:
    html = public_client.get("/pricing/").content.decode()
    assert re.search(r'<meta name="description" content="[^"]{40,}">', html)
    assert re.search(r'<link rel="canonical" href="http://[^"]+/pricing/">', html)
    assert "noindex" not in html


def test_company_pages_are_kept_out_of_search_results(client_a: TenantClient, szef) -> None:
    for path in ("/accounts/login/", "/"):
        client = client_a if path == "/accounts/login/" else client_a.login_as(szef)
        html = client.get(path).content.decode()
        assert '<meta name="robots" content="noindex, nofollow">' in html, path
        assert 'rel="canonical"' not in html


def test_pages_are_sent_gzipped_to_browsers_that_accept_it(client_a: TenantClient, szef) -> None:
    client_a.login_as(szef)
    response = client_a.get("/customers/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "</html>" in gzip.decompress(response.content).decode()


def test_csv_exports_stream_uncompressed(client_a: TenantClient, szef) -> None:
    client_a.login_as(szef)
    response = client_a.get("/customers/export/?format=csv", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_every_script_of_a_page_is_deferred(public_client: Client, client_a: TenantClient, szef) -> None:
    pages = [public_client.get("/signup/"), client_a.login_as(szef).get("/deals/")]
    for response in pages:
        scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
        assert len(scripts) >= 3
        assert all(" defer" in tag for tag in scripts), scripts


def test_the_company_login_page_starts_with_its_doctype(client_a: TenantClient) -> None:
    """A template comment left open (`{#` ... `#}` over two lines) is printed as text
    before the doctype: the browser falls into quirks mode (Lighthouse: doctype 0)."""
    body = client_a.get("/accounts/login/").content.decode()
    assert body.lstrip().lower().startswith("<!doctype html>"), body[:200]


def test_no_template_opens_a_one_line_comment_it_does_not_close_on_that_line() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    open_comment = re.compile(r"\{#(?!.*#\})")
    found = [
        f"{path.relative_to(root)}:{n}"
        for folder in ("templates", "crm", "public_site", "billing_saas", "tenants")
        for path in (root / folder).rglob("*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if open_comment.search(line)
    ]
    assert not found, "Django's {# #} comments end on their line; use {% comment %}: " + ", ".join(found)
