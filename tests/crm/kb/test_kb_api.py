"""/api/v1/kb/articles/, /api/v1/kb/groups/, /api/v1/announcements/: the contract fields,
staff read, Szef and Kierownik write articles, Szef writes announcements, errors in
Polish change nothing, another company's rows are 404."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.kb.models import Announcement, Article, ArticleGroup
from crm.trash.models import TrashEntry
from tests.crm.kb.factories import ArticleGroupFactory, announcement_make, article_make

CONTRACT_FIELDS = {"id", "title", "slug", "group", "body", "public"}


def test_list_gives_the_contract_fields_and_internal_articles_to_staff(company_a, api_pracownik):
    with schema_context(company_a.schema_name):
        article = article_make(title="Procedura zwrotu", body="**Krok** pierwszy", public=False)

    response = api_pracownik.get("/api/v1/kb/articles/")

    assert response.status_code == 200
    row = response.json()["results"][0]
    assert set(row) >= CONTRACT_FIELDS
    assert (row["id"], row["slug"], row["public"]) == (article.pk, "procedura-zwrotu", False)
    assert row["body_html"] == "<p><strong>Krok</strong> pierwszy</p>\n"


@pytest.mark.parametrize("rank", ["api_szef", "api_kierownik"])
def test_szef_and_kierownik_write_articles(rank, request, company_a):
    with schema_context(company_a.schema_name):
        group = ArticleGroupFactory()
    client = request.getfixturevalue(rank)

    response = client.post(
        "/api/v1/kb/articles/",
        {"title": "Jak płacić?", "group": group.pk, "body": "Przelewem.", "public": True},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    with schema_context(company_a.schema_name):
        article = Article.objects.get(pk=response.json()["id"])
        assert (article.slug, article.public, article.body_html) == ("jak-placic", True, "<p>Przelewem.</p>\n")
        assert ActivityEntry.objects.filter(code="article.created", object_id=str(article.pk)).exists()


def test_a_pracownik_reads_but_cannot_write(company_a, api_pracownik):
    with schema_context(company_a.schema_name):
        article = article_make()

    created = api_pracownik.post(
        "/api/v1/kb/articles/", {"title": "X", "group": article.group_id}, content_type="application/json"
    )
    changed = api_pracownik.patch(f"/api/v1/kb/articles/{article.pk}/", {"title": "Y"}, content_type="application/json")
    group = api_pracownik.post("/api/v1/kb/groups/", {"name": "Nowa"}, content_type="application/json")
    announcement = api_pracownik.post(
        "/api/v1/announcements/", {"title": "Hej", "shown_from": "2026-01-01"}, content_type="application/json"
    )

    assert (created.status_code, changed.status_code, group.status_code) == (403, 403, 403)
    assert announcement.status_code == 403
    assert "Szef albo Kierownik" in changed.json()["detail"]
    with schema_context(company_a.schema_name):
        assert Article.objects.get().title == "Artykuł"
        assert ArticleGroup.objects.count() == 1 and not Announcement.objects.exists()


def test_bad_input_is_refused_field_by_field_in_polish_and_nothing_is_saved(company_a, api_szef):
    with schema_context(company_a.schema_name):
        existing = article_make(title="Zwroty")

    empty = api_szef.post("/api/v1/kb/articles/", {"title": " ", "group": 999}, content_type="application/json")
    taken = api_szef.post(
        "/api/v1/kb/articles/", {"title": "Zwroty", "group": existing.group_id}, content_type="application/json"
    )
    dates = api_szef.post(
        "/api/v1/announcements/",
        {"title": "Urlopy", "shown_from": "2026-05-10", "shown_until": "2026-05-01"},
        content_type="application/json",
    )

    assert (empty.status_code, taken.status_code, dates.status_code) == (400, 400, 400)
    assert {"title", "group"} <= set(empty.json())
    assert "już artykuł o tym adresie" in taken.json()["slug"][0]
    assert "wcześniejsza" in dates.json()["shown_until"][0]
    with schema_context(company_a.schema_name):
        assert Article.objects.count() == 1 and not Announcement.objects.exists()


def test_search_ignores_case_and_polish_letters(company_a, api_pracownik):
    with schema_context(company_a.schema_name):
        article_make(title="Żółw w ogrodzie")
        article_make(title="Kot", body="Mieszka w Łodzi")
        article_make(title="Pies")

    turtle = api_pracownik.get("/api/v1/kb/articles/", {"search": "zolw"}).json()["results"]
    lodz = api_pracownik.get("/api/v1/kb/articles/", {"search": "LODZI"}).json()["results"]

    assert [row["title"] for row in turtle] == ["Żółw w ogrodzie"]
    assert [row["title"] for row in lodz] == ["Kot"]


def test_deleting_an_article_puts_it_in_the_trash_and_a_group_with_articles_stays(company_a, api_szef):
    with schema_context(company_a.schema_name):
        article = article_make(title="Stary artykuł")

    group = api_szef.delete(f"/api/v1/kb/groups/{article.group_id}/")
    deleted = api_szef.delete(f"/api/v1/kb/articles/{article.pk}/")

    assert group.status_code == 400 and "są artykuły" in str(group.json())
    assert deleted.status_code == 204
    with schema_context(company_a.schema_name):
        assert not Article.objects.exists()
        assert TrashEntry.objects.filter(name="Stary artykuł").exists()


def test_szef_writes_announcements(company_a, api_szef, api_kierownik):
    response = api_szef.post(
        "/api/v1/announcements/",
        {"title": "Wigilia firmowa", "body": "W piątek o 15:00", "shown_from": "2026-12-01"},
        content_type="application/json",
    )
    by_kierownik = api_kierownik.post(
        "/api/v1/announcements/", {"title": "X", "shown_from": "2026-12-01"}, content_type="application/json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["body_html"] == "<p>W piątek o 15:00</p>\n"
    assert by_kierownik.status_code == 403


def test_another_companys_rows_are_not_found(company_a, api_outsider):
    with schema_context(company_a.schema_name):
        article = article_make()
        item = announcement_make()

    assert api_outsider.get(f"/api/v1/kb/articles/{article.pk}/").status_code == 404
    assert api_outsider.get(f"/api/v1/kb/groups/{article.group_id}/").status_code == 404
    assert api_outsider.get(f"/api/v1/announcements/{item.pk}/").status_code == 404
    assert api_outsider.delete(f"/api/v1/kb/articles/{article.pk}/").status_code == 404
    with schema_context(company_a.schema_name):
        assert Article.objects.filter(pk=article.pk).exists()
