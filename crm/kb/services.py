"""Writes of the knowledge base and announcements (pages and the API call these).

Szef and Kierownik write articles and groups, Szef writes announcements. The Markdown is
turned into sanitised HTML here, on every save (crm.kb.markup); a deleted article goes
to the trash (Settings > Kosz), a group is deleted only when it holds no article."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from unidecode import unidecode

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record, field_changes
from crm.kb.markup import markdown_to_safe_html
from crm.kb.models import Announcement, AnnouncementDismissal, Article, ArticleGroup
from crm.kb.selectors import announcement_manage_check, kb_manage_check
from crm.trash.services import trash_keep

ARTICLE_FIELDS = ("title", "slug", "body", "group", "public", "portal", "position")
GROUP_FIELDS = ("name", "slug", "position")
ANNOUNCEMENT_FIELDS = ("title", "body", "shown_from", "shown_until")
MAX_BODY = 200_000


def _slug(value: str, fallback: str) -> str:
    """ "Jak płacić?" -> "jak-placic" (Polish letters kept readable, not dropped)."""
    return slugify(unidecode((value or "").strip())) or slugify(unidecode(fallback or ""))


# --- groups -------------------------------------------------------------------------


def _group_check(group: ArticleGroup) -> None:
    errors: dict[str, str] = {}
    if not group.name:
        errors["name"] = _("Podaj nazwę grupy.")
    if not group.slug:
        errors["slug"] = _("Podaj adres grupy (litery, cyfry i myślniki).")
    elif ArticleGroup.objects.filter(slug=group.slug).exclude(pk=group.pk).exists():
        errors["slug"] = _("Grupa o tym adresie już istnieje.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def group_create(*, actor: User | None, name: str, slug: str = "", position: int = 0) -> ArticleGroup:
    if actor is not None:
        kb_manage_check(actor)
    name = (name or "").strip()
    group = ArticleGroup(name=name, slug=_slug(slug, name), position=position or 0)
    _group_check(group)
    group.save()
    activity_record(
        actor=actor, kind=ActivityKind.CREATE, obj=group, code="article_group.created", params={"name": name}
    )
    return group


@transaction.atomic
def group_update(*, group: ArticleGroup, actor: User | None, **changes: Any) -> ArticleGroup:
    unknown = set(changes) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"group_update got unknown fields: {sorted(unknown)}")
    if actor is not None:
        kb_manage_check(actor)
    for name, value in changes.items():
        setattr(group, name, value)
    group.name = (group.name or "").strip()
    group.slug = _slug(group.slug, group.name)
    _group_check(group)
    group.save()
    activity_record(
        actor=actor, kind=ActivityKind.UPDATE, obj=group, code="article_group.updated", params={"name": group.name}
    )
    return group


@transaction.atomic
def group_delete(*, group: ArticleGroup, actor: User) -> None:
    kb_manage_check(actor)
    if group.articles.exists():
        raise ValidationError(_("W tej grupie są artykuły: przenieś je albo usuń, zanim usuniesz grupę."))
    activity_record(
        actor=actor, kind=ActivityKind.DELETE, obj=group, code="article_group.deleted", params={"name": group.name}
    )
    group.delete()


# --- articles -----------------------------------------------------------------------


def _article_check(article: Article) -> None:
    errors: dict[str, str] = {}
    if not article.title:
        errors["title"] = _("Podaj tytuł artykułu.")
    if not article.slug:
        errors["slug"] = _("Podaj adres artykułu (litery, cyfry i myślniki).")
    elif (
        article.group_id
        and Article.objects.filter(group_id=article.group_id, slug=article.slug).exclude(pk=article.pk).exists()
    ):
        errors["slug"] = _("W tej grupie jest już artykuł o tym adresie.")
    if not article.group_id:
        errors["group"] = _("Wybierz grupę artykułu.")
    if len(article.body or "") > MAX_BODY:
        errors["body"] = _("Treść jest zbyt długa.")
    if errors:
        raise ValidationError(errors)


def _article_shown(article: Article) -> dict[str, str]:
    return {name: str(getattr(article, name)) for name in ARTICLE_FIELDS}


def _article_prepare(article: Article) -> None:
    article.title = (article.title or "").strip()
    article.slug = _slug(article.slug, article.title)
    article.body = article.body or ""
    _article_check(article)
    article.body_html = markdown_to_safe_html(article.body)


@transaction.atomic
def article_create(
    *,
    actor: User | None,
    title: str,
    group: ArticleGroup,
    body: str = "",
    slug: str = "",
    public: bool = False,
    portal: bool = False,
    position: int = 0,
) -> Article:
    if actor is not None:
        kb_manage_check(actor)
    article = Article(
        title=title,
        group=group,
        body=body,
        slug=slug,
        public=public,
        portal=portal,
        position=position or 0,
        author=actor,
    )
    _article_prepare(article)
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError as exc:  # two saves of the same slug at once
        raise ValidationError({"slug": _("W tej grupie jest już artykuł o tym adresie.")}) from exc
    activity_record(
        actor=actor, kind=ActivityKind.CREATE, obj=article, code="article.created", params={"name": article.title}
    )
    return article


@transaction.atomic
def article_update(*, article: Article, actor: User | None, **changes: Any) -> Article:
    unknown = set(changes) - set(ARTICLE_FIELDS)
    if unknown:
        raise TypeError(f"article_update got unknown fields: {sorted(unknown)}")
    if actor is not None:
        kb_manage_check(actor)
    before = _article_shown(article)
    for name, value in changes.items():
        setattr(article, name, value)
    _article_prepare(article)
    article.save()
    changed = field_changes(before, _article_shown(article))
    if changed:
        params = {"name": article.title, "changes": changed}
        activity_record(actor=actor, kind=ActivityKind.UPDATE, obj=article, code="article.updated", params=params)
    return article


@transaction.atomic
def article_delete(*, article: Article, actor: User) -> None:
    kb_manage_check(actor)
    activity_record(
        actor=actor, kind=ActivityKind.DELETE, obj=article, code="article.deleted", params={"name": article.title}
    )
    trash_keep(obj=article, actor=actor)  # back from Settings > Kosz for 30 days
    article.delete()


# --- announcements ------------------------------------------------------------------


def _announcement_prepare(item: Announcement) -> None:
    item.title = (item.title or "").strip()
    errors: dict[str, str] = {}
    if not item.title:
        errors["title"] = _("Podaj tytuł ogłoszenia.")
    if item.shown_from is None:
        errors["shown_from"] = _("Podaj datę, od której ogłoszenie jest widoczne.")
    elif item.shown_until is not None and item.shown_until < item.shown_from:
        errors["shown_until"] = _("Data końca nie może być wcześniejsza niż data początku.")
    if len(item.body or "") > MAX_BODY:
        errors["body"] = _("Treść jest zbyt długa.")
    if errors:
        raise ValidationError(errors)
    item.body_html = markdown_to_safe_html(item.body or "")


@transaction.atomic
def announcement_create(
    *,
    actor: User | None,
    title: str,
    shown_from: datetime.date,
    body: str = "",
    shown_until: datetime.date | None = None,
) -> Announcement:
    if actor is not None:
        announcement_manage_check(actor)
    item = Announcement(title=title, body=body or "", shown_from=shown_from, shown_until=shown_until, author=actor)
    _announcement_prepare(item)
    item.save()
    activity_record(
        actor=actor, kind=ActivityKind.CREATE, obj=item, code="announcement.created", params={"name": item.title}
    )
    return item


@transaction.atomic
def announcement_update(*, announcement: Announcement, actor: User | None, **changes: Any) -> Announcement:
    unknown = set(changes) - set(ANNOUNCEMENT_FIELDS)
    if unknown:
        raise TypeError(f"announcement_update got unknown fields: {sorted(unknown)}")
    if actor is not None:
        announcement_manage_check(actor)
    for name, value in changes.items():
        setattr(announcement, name, value)
    _announcement_prepare(announcement)
    announcement.save()
    activity_record(
        actor=actor,
        kind=ActivityKind.UPDATE,
        obj=announcement,
        code="announcement.updated",
        params={"name": announcement.title},
    )
    return announcement


@transaction.atomic
def announcement_delete(*, announcement: Announcement, actor: User) -> None:
    announcement_manage_check(actor)
    activity_record(
        actor=actor,
        kind=ActivityKind.DELETE,
        obj=announcement,
        code="announcement.deleted",
        params={"name": announcement.title},
    )
    announcement.delete()


def announcement_dismiss(*, announcement: Announcement, user: User) -> None:
    """The person closed it on the home page: it is not shown to them again."""
    AnnouncementDismissal.objects.get_or_create(announcement=announcement, user=user)
