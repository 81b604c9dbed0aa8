"""REST endpoints of this app, mounted under /api/v1/ by config/urls_api.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from crm.leads.api import LeadStatusViewSet, LeadViewSet

router = SimpleRouter()
router.register("leads", LeadViewSet, basename="lead")
router.register("lead-statuses", LeadStatusViewSet, basename="lead-status")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
