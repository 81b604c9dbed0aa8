"""REST API of the knowledge base and announcements: /api/v1/kb/articles/,
/api/v1/kb/groups/, /api/v1/announcements/. Staff read; Szef and Kierownik write
articles and groups, Szef writes announcements (403 otherwise). `body` is Markdown;
`body_html` the sanitised HTML made from it on save."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from crm.common.api import AuthedApiRequest, ModelSerializer
from crm.common.params import id_param
from crm.kb import services
from crm.kb.models import Announcement, Article, ArticleGroup
from crm.kb.selectors import (
    announcement_manage_check,
    announcements_visible_to,
    article_list,
    groups_visible_to,
    kb_manage_check,
)

MAX_POSITION = 1_000_000


class ArticleGroupSerializer(ModelSerializer):
    """A group of articles; `slug` is its part of the public address /kb/<slug>/."""

    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=100, required=False, allow_blank=True)
    position = serializers.IntegerField(min_value=0, max_value=MAX_POSITION, required=False)
    # Rules across fields, for the OpenAPI schema (`x-rules`, crm/accounts/openapi.py).
    openapi_rules = {
        "name": "Not blank once spaces are trimmed.",
        "slug": "Unique among groups; made from the name when empty, so a name without letters or digits needs one.",
    }

    class Meta:
        model = ArticleGroup
        fields = ("id", "name", "slug", "position")

    def create(self, validated_data: dict[str, Any]) -> ArticleGroup:
        return services.group_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance: ArticleGroup, validated_data: dict[str, Any]) -> ArticleGroup:
        return services.group_update(group=instance, actor=self.context["request"].user, **validated_data)


class ArticleSerializer(ModelSerializer):
    """An article: `body` Markdown (raw HTML is shown as text), `public` true shows it at /kb/ without login."""

    title = serializers.CharField(max_length=300)
    slug = serializers.SlugField(max_length=120, required=False, allow_blank=True)
    body = serializers.CharField(required=False, allow_blank=True, max_length=services.MAX_BODY, trim_whitespace=False)
    group = serializers.PrimaryKeyRelatedField(queryset=ArticleGroup.objects.all())
    public = serializers.BooleanField(required=False)
    portal = serializers.BooleanField(required=False, help_text=_("Widoczny w portalu klienta."))
    position = serializers.IntegerField(min_value=0, max_value=MAX_POSITION, required=False)
    openapi_rules = {
        "title": "Not blank once spaces are trimmed.",
        "slug": "Unique within the group; made from the title when empty, so a title without letters or digits needs one.",
    }

    class Meta:
        model = Article
        fields = (
            "id",
            "title",
            "slug",
            "group",
            "body",
            "body_html",
            "public",
            "portal",
            "position",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("body_html", "created_at", "updated_at")
        validators: list[Any] = []  # the service says "slug taken" in the user's words

    def create(self, validated_data: dict[str, Any]) -> Article:
        return services.article_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance: Article, validated_data: dict[str, Any]) -> Article:
        return services.article_update(article=instance, actor=self.context["request"].user, **validated_data)


class AnnouncementSerializer(ModelSerializer):
    """An announcement shown on staff's home page from `shown_from` to `shown_until` (open end when null)."""

    title = serializers.CharField(max_length=200)
    body = serializers.CharField(required=False, allow_blank=True, max_length=services.MAX_BODY, trim_whitespace=False)
    shown_until = serializers.DateField(required=False, allow_null=True)
    openapi_rules = {
        "title": "Not blank once spaces are trimmed.",
        "shown_until": "Not before shown_from.",
    }

    class Meta:
        model = Announcement
        fields = ("id", "title", "body", "body_html", "shown_from", "shown_until", "created_at")
        read_only_fields = ("body_html", "created_at")

    def create(self, validated_data: dict[str, Any]) -> Announcement:
        return services.announcement_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance: Announcement, validated_data: dict[str, Any]) -> Announcement:
        return services.announcement_update(announcement=instance, actor=self.context["request"].user, **validated_data)


ARTICLE_FILTERS = [
    OpenApiParameter("search", OpenApiTypes.STR, description="Title or body (case and Polish diacritics ignored)."),
    OpenApiParameter("group", OpenApiTypes.INT, description="Only the articles of this group."),
]


class _CheckedWrites:
    """Creating and changing go through `write_check(user)` (a 403 with the reason)."""

    request: AuthedApiRequest
    write_check: Any

    def perform_create(self, serializer: Any) -> None:
        self.write_check(self.request.user)
        serializer.save()

    def perform_update(self, serializer: Any) -> None:
        self.write_check(self.request.user)
        serializer.save()


@extend_schema_view(list=extend_schema(parameters=ARTICLE_FILTERS))
class ArticleViewSet(_CheckedWrites, viewsets.ModelViewSet):
    """Articles of the knowledge base (public and internal)."""

    request: AuthedApiRequest
    serializer_class = ArticleSerializer
    write_check = staticmethod(kb_manage_check)
    queryset = Article.objects.none()

    def get_queryset(self) -> QuerySet[Article]:
        if getattr(self, "swagger_fake_view", False):
            return Article.objects.none()
        articles = article_list(user=self.request.user, query=self.request.query_params.get("search", ""))
        if self.action == "list":
            try:
                group = id_param(self.request.query_params.get("group"))
            except DjangoValidationError:
                raise serializers.ValidationError({"group": [_("Podaj numer grupy.")]}) from None
            if group is not None:
                articles = articles.filter(group_id=group)
        return articles

    def perform_destroy(self, instance: Article) -> None:
        services.article_delete(article=instance, actor=self.request.user)


class ArticleGroupViewSet(_CheckedWrites, viewsets.ModelViewSet):
    """Groups of knowledge-base articles, in their order."""

    request: AuthedApiRequest
    serializer_class = ArticleGroupSerializer
    write_check = staticmethod(kb_manage_check)
    queryset = ArticleGroup.objects.none()

    def get_queryset(self) -> QuerySet[ArticleGroup]:
        if getattr(self, "swagger_fake_view", False):
            return ArticleGroup.objects.none()
        return groups_visible_to(self.request.user)

    def perform_destroy(self, instance: ArticleGroup) -> None:
        services.group_delete(group=instance, actor=self.request.user)


class AnnouncementViewSet(_CheckedWrites, viewsets.ModelViewSet):
    """Announcements from Szef to staff."""

    request: AuthedApiRequest
    serializer_class = AnnouncementSerializer
    write_check = staticmethod(announcement_manage_check)
    queryset = Announcement.objects.none()

    def get_queryset(self) -> QuerySet[Announcement]:
        if getattr(self, "swagger_fake_view", False):
            return Announcement.objects.none()
        return announcements_visible_to(self.request.user)

    def perform_destroy(self, instance: Announcement) -> None:
        services.announcement_delete(announcement=instance, actor=self.request.user)
