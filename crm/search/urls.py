"""The global search, /search/ (namespace `search`): any signed-in staff member."""

from __future__ import annotations

from django.urls import path

from crm.search import views

app_name = "search"
urlpatterns = [
    path("", views.search, name="search"),
]
