"""Settings > Kopie zapasowe, /settings/backups/ (namespace `backups`)."""

from __future__ import annotations

from django.urls import path

from crm.backups import views

app_name = "backups"
urlpatterns = [
    path("", views.backups_page, name="list"),
    path("table/", views.backups_table, name="table"),
    path("now/", views.backup_now, name="now"),
    path("<int:pk>/download/", views.backup_download, name="download"),
    path("<int:pk>/restore/", views.backup_restore, name="restore"),
]
