from __future__ import annotations

from django.urls import path

from crm.timetracking import views

app_name = "timetracking"
urlpatterns = [
    path("", views.timesheet_view, name="timesheet"),
    path("export/", views.time_export, name="export"),
    path("new/", views.entry_create, name="entry_create"),
    path("<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("timer/start/", views.timer_start, name="timer_start"),
    path("timer/stop/", views.timer_stop, name="timer_stop"),
    path("projects/<int:pk>/", views.project_time, name="project_time"),
    path("projects/<int:pk>/invoice/", views.project_invoice, name="project_invoice"),
]
