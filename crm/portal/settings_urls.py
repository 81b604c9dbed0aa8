"""Settings > Portal klienta, /settings/portal/ (namespace `portal_settings`)."""

from __future__ import annotations

from django.urls import path

from crm.portal import views_settings

app_name = "portal_settings"
urlpatterns = [path("", views_settings.branding, name="branding")]
