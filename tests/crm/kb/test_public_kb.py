"""The public knowledge base /kb/ on the company host: no login, only public articles,
the company's name in the header, open to search engines; an internal article or
another company's host is a 404."""

from __future__ import annotations

from django_tenants.utils import schema_context

from tests.crm.kb.factories import ArticleGroupFactory, article_make


def _fill(company_a):
    with schema_context(company_a.schema_name):
        group = ArticleGroupFactory(name="Dla klientów", slug="klienci")
        shown = article_make(title="Jak płacić", body="Przelewem", public=True, group=group)
        hidden = article_make(title="Marże handlowe", body="Tajne", public=False, group=group)
    return shown, hidden


def test_anyone_reads_public_articles_in_the_companys_branding(client_a, company_a):
    _fill(company_a)

    index = client_a.get("/kb/")
    article = client_a.get("/kb/klienci/jak-placic/")

    assert index.status_code == 200 and article.status_code == 200
    html = index.content.decode()
    assert "Jak płacić" in html and "Marże handlowe" not in html
    assert company_a.name in html and company_a.name in article.content.decode()
    assert "<p>Przelewem</p>" in article.content.decode()
    assert "noindex" not in html and "X-Robots-Tag" not in index


def test_the_public_search_ignores_polish_letters_and_skips_internal_articles(client_a, company_a):
    _fill(company_a)

    assert "Jak płacić" in client_a.get("/kb/", {"q": "PLACIC"}).content.decode()
    assert "Marże" not in client_a.get("/kb/", {"q": "marze"}).content.decode()


def test_an_internal_article_is_not_found_on_the_public_address(client_a, szef, company_a):
    _fill(company_a)

    assert client_a.get("/kb/klienci/marze-handlowe/").status_code == 404
    assert client_a.login_as(szef).get("/kb/klienci/marze-handlowe/").status_code == 404


def test_another_companys_host_has_no_such_article(client_b, company_a):
    _fill(company_a)

    assert client_b.get("/kb/klienci/jak-placic/").status_code == 404
    assert "Jak płacić" not in client_b.get("/kb/").content.decode()
