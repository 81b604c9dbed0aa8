"""/bulk/ (namespace `bulk`)."""

from __future__ import annotations

from django.urls import path

from crm.bulk import views

app_name = "bulk"
urlpatterns = [
    path("<slug:key>/", views.bulk_view, name="apply"),
]
