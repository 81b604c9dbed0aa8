from __future__ import annotations

from django.urls import path

from crm.tickets import settings_views, views

app_name = "tickets"
urlpatterns = [
    path("", views.ticket_list, name="ticket_list"),
    path("new/", views.ticket_create, name="ticket_create"),
    path("reports/", views.ticket_reports, name="ticket_reports"),
    path("contact-options/", views.contact_options, name="contact_options"),
    path("<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("<int:pk>/edit/", views.ticket_edit, name="ticket_edit"),
    path("<int:pk>/reply/", views.ticket_reply, name="ticket_reply"),
    path("<int:pk>/panel/", views.ticket_panel, name="ticket_panel"),
    path("<int:pk>/delete/", views.ticket_delete, name="ticket_delete"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
    path("predefined/", settings_views.predefined_list, name="predefined_list"),
    path("predefined/new/", settings_views.predefined_edit, name="predefined_create"),
    path("predefined/<int:pk>/edit/", settings_views.predefined_edit, name="predefined_edit"),
    path("predefined/<int:pk>/delete/", settings_views.predefined_delete, name="predefined_delete"),
    path("departments/new/", settings_views.department_edit, name="department_create"),
    path("departments/<int:pk>/edit/", settings_views.department_edit, name="department_edit"),
    path("departments/<int:pk>/delete/", settings_views.department_delete, name="department_delete"),
    path("inbound-secret/", settings_views.secret_regenerate, name="secret_regenerate"),
]
