from __future__ import annotations

from django.urls import path

from crm.emails import views

app_name = "emails"
urlpatterns = [
    path("customer/<int:customer_id>/new/", views.email_compose, name="email_compose"),
    path("<int:pk>/", views.email_detail, name="email_detail"),
    path("<int:pk>/files/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
]
