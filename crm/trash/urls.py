"""Settings > Kosz, /settings/trash/ (namespace `trash`)."""

from __future__ import annotations

from django.urls import path

from crm.trash import views

app_name = "trash"
urlpatterns = [
    path("", views.trash_list, name="list"),
    path("<int:pk>/restore/", views.trash_restore_view, name="restore"),
]
