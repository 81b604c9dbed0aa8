from __future__ import annotations

from django.urls import path

from crm.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("panel/", views.notification_panel, name="panel"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("settings/", views.notification_settings, name="settings"),
    path("people/", views.mention_people, name="people"),
    path("<int:pk>/open/", views.notification_open, name="open"),
]
