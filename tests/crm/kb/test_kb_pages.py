"""Staff pages of the knowledge base (/knowledge/): reading for everyone, writing for Szef
and Kierownik, errors next to the fields, the global search, another company's 404."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from crm.kb.models import Article, ArticleGroup
from tests.crm.kb.factories import ArticleGroupFactory, announcement_make, article_make


def test_a_pracownik_reads_internal_articles_grouped(client_a, pracownik, company_a):
    with schema_context(company_a.schema_name):
        article = article_make(title="Procedura zwrotu", body="## Kroki\n\n- sprawdź", public=False)
    client_a.login_as(pracownik)

    listing = client_a.get("/knowledge/").content.decode()
    page = client_a.get(f"/knowledge/{article.pk}/").content.decode()

    assert "Procedura zwrotu" in listing and article.group.name in listing
    assert "<h2>Kroki</h2>" in page and "Nowy artykuł" not in listing
    assert client_a.get("/knowledge/new/").status_code == 403
    assert client_a.get(f"/knowledge/{article.pk}/edit/").status_code == 403
    assert client_a.post(f"/knowledge/{article.pk}/delete/").status_code == 403
    assert client_a.get("/knowledge/groups/").status_code == 403
    with schema_context(company_a.schema_name):
        assert Article.objects.filter(pk=article.pk).exists()


@pytest.mark.parametrize("rank", ["szef", "kierownik"])
def test_szef_and_kierownik_write_an_article_with_a_form(rank, request, client_a, company_a):
    with schema_context(company_a.schema_name):
        group = ArticleGroupFactory()
    client_a.login_as(request.getfixturevalue(rank))

    response = client_a.post(
        "/knowledge/new/", {"title": "Jak płacić", "group": group.pk, "body": "*Przelewem*", "position": "1"}
    )

    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        article = Article.objects.get()
        assert (article.slug, article.public, article.body_html) == ("jak-placic", False, "<p><em>Przelewem</em></p>\n")


def test_a_form_with_errors_says_what_to_fix_and_saves_nothing(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        existing = article_make(title="Zwroty")
    client_a.login_as(szef)

    empty = client_a.post("/knowledge/new/", {"title": "", "group": "", "position": "0"})
    taken = client_a.post("/knowledge/new/", {"title": "Zwroty", "group": existing.group_id, "position": "0"})

    assert empty.status_code == 400 and "is-invalid" in empty.content.decode()
    assert taken.status_code == 400 and "W tej grupie jest już artykuł o tym adresie." in taken.content.decode()
    with schema_context(company_a.schema_name):
        assert Article.objects.count() == 1


def test_the_preview_shows_sanitised_markdown(client_a, szef):
    response = client_a.login_as(szef).post("/knowledge/preview/", {"body": "**ok** <script>alert(1)</script>"})

    html = response.content.decode()
    assert "<strong>ok</strong>" in html and "<script>" not in html


def test_groups_are_added_in_order_and_a_group_with_articles_stays(client_a, kierownik, company_a):
    client_a.login_as(kierownik)

    added = client_a.post("/knowledge/groups/", {"name": "Dla klientów", "position": "2"})
    taken = client_a.post("/knowledge/groups/", {"name": "Dla klientów", "position": "3"})
    with schema_context(company_a.schema_name):
        group = ArticleGroup.objects.get()
        article_make(group=group)
    kept = client_a.post(f"/knowledge/groups/{group.pk}/delete/", follow=True)

    assert added.status_code == 302 and group.slug == "dla-klientow"
    assert taken.status_code == 400 and "Grupa o tym adresie już istnieje." in taken.content.decode()
    assert "są artykuły" in kept.content.decode()
    with schema_context(company_a.schema_name):
        assert ArticleGroup.objects.count() == 1


def test_the_global_search_finds_articles_without_polish_letters(client_a, pracownik, company_a):
    with schema_context(company_a.schema_name):
        article_make(title="Żółw – cennik")
        article_make(title="Kot")

    html = client_a.login_as(pracownik).get("/search/", {"q": "zolw", "partial": "1"}).content.decode()

    assert 'data-testid="search-group-article"' in html
    assert "Żółw – cennik" in html and "Kot" not in html


def test_staff_pages_need_signing_in(client_a, company_a):
    with schema_context(company_a.schema_name):
        article = article_make()
    for path in ("/knowledge/", f"/knowledge/{article.pk}/", "/knowledge/announcements/", "/knowledge/groups/"):
        response = client_a.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path


def test_another_companys_pages_are_not_found(client_b, outsider, company_a):
    with schema_context(company_a.schema_name):
        article = article_make()
        item = announcement_make()
    client_b.login_as(outsider)

    for path in (
        f"/knowledge/{article.pk}/",
        f"/knowledge/{article.pk}/edit/",
        f"/knowledge/groups/{article.group_id}/",
        f"/knowledge/announcements/{item.pk}/",
    ):
        assert client_b.get(path).status_code == 404, path
    for path in (
        f"/knowledge/{article.pk}/delete/",
        f"/knowledge/groups/{article.group_id}/delete/",
        f"/knowledge/announcements/{item.pk}/delete/",
        f"/knowledge/announcements/{item.pk}/dismiss/",
    ):
        assert client_b.post(path).status_code == 404, path
    with schema_context(company_a.schema_name):
        assert Article.objects.filter(pk=article.pk).exists()
