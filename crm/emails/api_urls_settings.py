"""/api/v1/settings/email-templates/ (Szef only), mounted by config/urls_api.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from crm.emails.api import EmailTemplateViewSet

router = SimpleRouter()
router.register("email-templates", EmailTemplateViewSet, basename="settings-email-templates")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
