"""REST endpoints of this app, mounted under /api/v1/ by config/urls_api.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from crm.emails.api import EmailViewSet

router = SimpleRouter()
router.register("emails", EmailViewSet, basename="email")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
