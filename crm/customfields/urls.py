"""Settings > Pola własne, /settings/custom-fields/ (namespace `customfields`)."""

from __future__ import annotations

from django.urls import path

from crm.customfields import views

app_name = "customfields"
urlpatterns = [
    path("", views.custom_field_list, name="list"),
    path("add/", views.custom_field_edit, name="add"),
    path("<int:pk>/", views.custom_field_edit, name="edit"),
    path("<int:pk>/delete/", views.custom_field_delete, name="delete"),
    path("<int:pk>/move/", views.custom_field_move, name="move"),
]
