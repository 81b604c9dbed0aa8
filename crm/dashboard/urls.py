from __future__ import annotations

from django.urls import path

from crm.dashboard import checklist_views, views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/widgets/<slug:key>/", views.widget, name="widget"),
    path("dashboard/checklist/hide/", checklist_views.checklist_hide, name="checklist_hide"),
    path("dashboard/quick-task/", views.quick_task, name="quick_task"),
    path("reports/", views.reports, name="reports"),
    path("reports/<slug:name>/csv/", views.report_csv, name="report_csv"),
]
