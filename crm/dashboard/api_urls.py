"""REST endpoints of this app, mounted under /api/v1/ by config/urls_api.py."""

from __future__ import annotations

from django.urls import path

from crm.dashboard import api

urlpatterns = [
    path("dashboard/", api.DashboardView.as_view(), name="api-dashboard"),
    path("reports/<slug:name>/", api.ReportView.as_view(), name="api-report"),
]
