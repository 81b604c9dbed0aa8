"""Staff pages of the portal on the project card, mounted at /projects/ (namespace `portal_staff`)."""

from __future__ import annotations

from django.urls import path

from crm.portal import views_staff

app_name = "portal_staff"
urlpatterns = [
    path("<int:pk>/portal/files/<int:attachment_pk>/share/", views_staff.file_share, name="file_share"),
    path("<int:pk>/portal/messages/", views_staff.message_post, name="message_post"),
    path("<int:pk>/portal/messages/<int:message_pk>/file/", views_staff.message_file, name="message_file"),
    path("<int:pk>/portal/messages/<int:message_pk>/delete/", views_staff.message_delete, name="message_delete"),
]
