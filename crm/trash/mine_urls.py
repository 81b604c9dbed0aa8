"""Mój kosz, /trash/ (namespace `my_trash`): anybody's own deleted records."""

from __future__ import annotations

from django.urls import path

from crm.trash import views

app_name = "my_trash"
urlpatterns = [
    path("", views.my_trash_list, name="list"),
    path("<int:pk>/restore/", views.my_trash_restore, name="restore"),
]
