"""REST endpoints of this app, mounted under /api/v1/ by config/urls_api.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from crm.sales.api import DealViewSet
from crm.sales.api_pipelines import PipelineViewSet

router = SimpleRouter()
router.register("deals", DealViewSet, basename="deal")
router.register("pipelines", PipelineViewSet, basename="pipeline")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
