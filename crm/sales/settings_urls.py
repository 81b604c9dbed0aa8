"""Settings > Lejki sprzedaży (mounted at /settings/pipelines/)."""

from __future__ import annotations

from django.urls import path

from crm.sales import settings_views as views

app_name = "pipelines"
urlpatterns = [
    path("", views.pipeline_list, name="list"),
    path("add/", views.pipeline_add, name="add"),
    path("<int:pk>/", views.pipeline_edit, name="edit"),
    path("<int:pk>/delete/", views.pipeline_delete, name="delete"),
    path("<int:pk>/stages/add/", views.stage_add, name="stage_add"),
    path("<int:pk>/stages/<int:stage_pk>/", views.stage_edit, name="stage_edit"),
    path("<int:pk>/stages/<int:stage_pk>/delete/", views.stage_delete, name="stage_delete"),
    path("<int:pk>/stages/<int:stage_pk>/move/", views.stage_move, name="stage_move"),
]
