from __future__ import annotations

from django.urls import path

from crm.contacts import views_io
from crm.leads import settings_views, views

LEAD = {"record_type": "lead"}

app_name = "leads"
urlpatterns = [
    path("", views.lead_list, name="lead_list"),
    path("board/", views.lead_board, name="lead_board"),
    path("export/", views.lead_export, name="lead_export"),
    path("import/", views_io.import_upload, LEAD, name="import_upload"),
    path("import/<int:pk>/", views_io.import_mapping, LEAD, name="import_mapping"),
    path("import/<int:pk>/progress/", views_io.import_progress, LEAD, name="import_progress"),
    path("import/<int:pk>/report.csv", views_io.import_report, LEAD, name="import_report"),
    path("new/", views.lead_create, name="lead_create"),
    path("<int:pk>/", views.lead_detail, name="lead_detail"),
    path("<int:pk>/edit/", views.lead_edit, name="lead_edit"),
    path("<int:pk>/move/", views.lead_move, name="lead_move"),
    path("<int:pk>/convert/", views.lead_convert, name="lead_convert"),
    path("<int:pk>/tasks/add/", views.lead_task_add, name="lead_task_add"),
    path("<int:pk>/delete/", views.lead_delete, name="lead_delete"),
    path("forms/new/", settings_views.webform_edit, name="webform_create"),
    path("forms/<int:pk>/edit/", settings_views.webform_edit, name="webform_edit"),
    path("forms/<int:pk>/delete/", settings_views.webform_remove, name="webform_delete"),
]
