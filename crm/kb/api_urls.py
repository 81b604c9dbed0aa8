"""REST endpoints of this app, mounted under /api/v1/ by config/urls_api.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from crm.kb.api import AnnouncementViewSet, ArticleGroupViewSet, ArticleViewSet

router = SimpleRouter()
router.register("kb/articles", ArticleViewSet, basename="kb-article")
router.register("kb/groups", ArticleGroupViewSet, basename="kb-group")
router.register("announcements", AnnouncementViewSet, basename="announcement")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
