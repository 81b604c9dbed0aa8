from __future__ import annotations

from django.urls import path

from crm.kb import views

app_name = "kb"
urlpatterns = [
    path("", views.article_list_page, name="article_list"),
    path("new/", views.article_create, name="article_create"),
    path("preview/", views.article_preview, name="article_preview"),
    path("<int:pk>/", views.article_detail, name="article_detail"),
    path("<int:pk>/edit/", views.article_edit, name="article_edit"),
    path("<int:pk>/delete/", views.article_delete, name="article_delete"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/<int:pk>/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/delete/", views.group_delete, name="group_delete"),
    path("announcements/", views.announcement_list, name="announcement_list"),
    path("announcements/new/", views.announcement_create, name="announcement_create"),
    path("announcements/<int:pk>/", views.announcement_edit, name="announcement_edit"),
    path("announcements/<int:pk>/delete/", views.announcement_delete, name="announcement_delete"),
    path("announcements/<int:pk>/dismiss/", views.announcement_dismiss, name="announcement_dismiss"),
]
