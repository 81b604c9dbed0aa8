"""Settings > Automatyzacje, /settings/automations/ (namespace `automations`)."""

from __future__ import annotations

from django.urls import path

from crm.automations import views

app_name = "automations"
urlpatterns = [
    path("", views.rule_list, name="list"),
    path("add/", views.rule_edit, name="add"),
    path("<int:pk>/", views.rule_edit, name="edit"),
    path("<int:pk>/toggle/", views.rule_toggle, name="toggle"),
    path("<int:pk>/delete/", views.rule_delete, name="delete"),
]
