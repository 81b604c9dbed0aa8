from __future__ import annotations

from django.urls import path

from crm.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_create, name="project_create"),
    path("export/", views.project_export, name="project_export"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/delete/", views.project_delete, name="project_delete"),
    path("<int:pk>/tasks/new/", views.task_add, name="task_add"),
    path("<int:pk>/milestones/new/", views.milestone_create, name="milestone_create"),
    path("<int:pk>/milestones/<int:milestone_pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("<int:pk>/milestones/<int:milestone_pk>/delete/", views.milestone_delete, name="milestone_delete"),
    path("<int:pk>/milestones/<int:milestone_pk>/move/", views.milestone_move, name="milestone_move"),
]
