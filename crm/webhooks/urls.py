"""Settings > Webhooki, /settings/webhooks/ (namespace `webhooks`)."""

from __future__ import annotations

from django.urls import path

from crm.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.endpoint_list, name="list"),
    path("add/", views.endpoint_edit, name="add"),
    path("<int:pk>/", views.endpoint_edit, name="edit"),
    path("<int:pk>/delete/", views.endpoint_delete, name="delete"),
    path("<int:pk>/secret/", views.endpoint_secret, name="secret"),
    path("<int:pk>/test/", views.endpoint_test, name="test"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="delivery"),
    path("deliveries/<int:pk>/replay/", views.delivery_replay, name="replay"),
]
