"""REST endpoints of this app, mounted under /api/v1/ by config/urls_api.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from crm.offers.api import OfferViewSet

router = SimpleRouter()
router.register("offers", OfferViewSet, basename="offer")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
