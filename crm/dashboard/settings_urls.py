"""Mounted at /settings/homepage/ by config/urls_tenant.py."""

from __future__ import annotations

from django.urls import path

from crm.dashboard import settings_views

app_name = "dashboard_settings"
urlpatterns = [path("", settings_views.homepage_settings, name="homepage")]
