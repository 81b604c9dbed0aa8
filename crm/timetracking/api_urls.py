"""REST endpoints of this app, mounted under /api/v1/ by config/urls_api.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from crm.timetracking.api import TimeEntryViewSet

router = SimpleRouter()
router.register("time-entries", TimeEntryViewSet, basename="time-entry")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
