from __future__ import annotations

from django.urls import path

from crm.emails import settings_views

app_name = "emails_settings"
urlpatterns = [
    path("", settings_views.template_list, name="templates"),
    path("new/", settings_views.template_edit, name="template_create"),
    path("<int:template_id>/", settings_views.template_edit, name="template_edit"),
    path("<int:template_id>/delete/", settings_views.template_delete, name="template_delete"),
]
