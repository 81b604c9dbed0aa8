"""/api/v1/auth/: the token endpoint (contract) and the caller's own tokens."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from crm.accounts.api import MyTokenViewSet, TokenObtainView

router = SimpleRouter()
router.register("tokens", MyTokenViewSet, basename="api-my-tokens")

urlpatterns: list[URLPattern | URLResolver] = [
    path("token/", TokenObtainView.as_view(), name="api-token"),
    *router.urls,
]
