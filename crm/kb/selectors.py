"""Reads of the knowledge base and announcements: every member of staff reads every
article (internal ones too); anyone reads public articles at /kb/; search folds case and
Polish diacritics ("zolw" finds "Żółw")."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.accounts.access import is_manager, is_szef
from crm.accounts.models import User
from crm.common.search import SearchFold, fold_terms
from crm.kb.models import Announcement, Article, ArticleGroup


def articles_visible_to(user: User) -> QuerySet[Article]:
    return Article.objects.select_related("group")


def groups_visible_to(user: User) -> QuerySet[ArticleGroup]:
    return ArticleGroup.objects.all()


def kb_may_manage(user: User | AnonymousUser) -> bool:
    """Szef and Kierownik write articles and groups; a Pracownik reads them."""
    return bool(user and user.is_authenticated and user.is_active and is_manager(user))


def kb_manage_check(user: User | AnonymousUser) -> None:
    if not kb_may_manage(user):
        raise PermissionDenied(_("Artykuły bazy wiedzy pisze i zmienia Szef albo Kierownik."))


def articles_search(articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    terms = fold_terms(query or "")
    if not terms:
        return articles
    articles = articles.annotate(_fold=SearchFold("title", "body"))
    for term in terms:
        articles = articles.filter(_fold__contains=term)
    return articles


def article_list(
    *, user: User, query: str = "", group: ArticleGroup | None = None, public: bool | None = None
) -> QuerySet[Article]:
    articles = articles_search(articles_visible_to(user), query)
    if group is not None:
        articles = articles.filter(group=group)
    if public is not None:
        articles = articles.filter(public=public)
    return articles.order_by("group__position", "group__name", "position", "title", "id")


def articles_public(query: str = "") -> QuerySet[Article]:
    """What anyone sees at /kb/: public articles only."""
    articles = articles_search(Article.objects.select_related("group").filter(public=True), query)
    return articles.order_by("group__position", "group__name", "position", "title", "id")


def articles_for_portal(query: str = "") -> QuerySet[Article]:
    """What a contact person sees in the client portal: public and portal-only articles."""
    articles = articles_search(Article.objects.select_related("group").filter(Q(public=True) | Q(portal=True)), query)
    return articles.order_by("group__position", "group__name", "position", "title", "id")


def article_public_get(*, group_slug: str, slug: str) -> Article | None:
    return articles_public().filter(group__slug=group_slug, slug=slug).first()


# --- announcements ------------------------------------------------------------------


def announcement_may_manage(user: User | AnonymousUser) -> bool:
    return bool(user and user.is_authenticated and user.is_active and is_szef(user))


def announcement_manage_check(user: User | AnonymousUser) -> None:
    if not announcement_may_manage(user):
        raise PermissionDenied(_("Ogłoszenia pisze Szef."))


def announcements_visible_to(user: User) -> QuerySet[Announcement]:
    return Announcement.objects.all()


def announcements_for_home(*, user: User, today: datetime.date | None = None) -> list[Announcement]:
    """Announcements current today that this person has not dismissed yet."""
    today = today or timezone.localdate()
    return list(
        Announcement.objects.filter(shown_from__lte=today)
        .filter(Q(shown_until__isnull=True) | Q(shown_until__gte=today))
        .exclude(dismissals__user=user)
        .order_by("-shown_from", "-id")
    )
