"""The knowledge base (groups of articles written in Markdown, public or internal) and
announcements from Szef to staff, each shown once per person until dismissed."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.common.search import SearchFold
from crm.contacts.models import POLISH_COLLATION


class ArticleGroup(models.Model):
    name = models.CharField(_("nazwa"), max_length=200, db_collation=POLISH_COLLATION)
    slug = models.SlugField(_("adres (slug)"), max_length=100, unique=True)
    position = models.PositiveIntegerField(_("kolejność"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grupa artykułów")
        verbose_name_plural = _("grupy artykułów")
        ordering = ("position", "name", "id")

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    group = models.ForeignKey(ArticleGroup, on_delete=models.PROTECT, related_name="articles", verbose_name=_("grupa"))
    title = models.CharField(_("tytuł"), max_length=300, db_collation=POLISH_COLLATION)
    slug = models.SlugField(_("adres (slug)"), max_length=120)
    # The Markdown the author wrote, and the HTML made from it and sanitised on save
    # (crm.kb.markup): pages show only `body_html`, never render `body` themselves.
    body = models.TextField(_("treść (Markdown)"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    public = models.BooleanField(
        _("publiczny"), default=False, help_text=_("Publiczne artykuły są widoczne bez logowania pod /kb/.")
    )
    portal = models.BooleanField(
        _("w portalu klienta"),
        default=False,
        help_text=_("Widoczny dla osób kontaktowych w portalu klienta (publiczne artykuły są tam zawsze)."),
    )
    position = models.PositiveIntegerField(_("kolejność"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("artykuł")
        verbose_name_plural = _("artykuły")
        ordering = ("position", "title", "id")
        constraints = [models.UniqueConstraint(fields=["group", "slug"], name="kb_article_slug_in_group")]
        indexes = [GinIndex(OpClass(SearchFold("title", "body"), name="gin_trgm_ops"), name="kb_article_fold_trgm")]

    def __str__(self) -> str:
        return self.title


class Announcement(models.Model):
    title = models.CharField(_("tytuł"), max_length=200)
    body = models.TextField(_("treść (Markdown)"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    shown_from = models.DateField(_("widoczne od"))
    shown_until = models.DateField(_("widoczne do"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ogłoszenie")
        verbose_name_plural = _("ogłoszenia")
        ordering = ("-shown_from", "-id")

    def __str__(self) -> str:
        return self.title


class AnnouncementDismissal(models.Model):
    """A person closed the announcement: it is not shown to them again."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="dismissals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="kb_dismissal_once")]

    def __str__(self) -> str:
        return f"{self.announcement_id}:{self.user_id}"
