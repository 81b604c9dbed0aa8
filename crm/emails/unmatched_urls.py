from __future__ import annotations

from django.urls import path

from crm.emails import unmatched_views

app_name = "emails_unmatched"
urlpatterns = [
    path("", unmatched_views.unmatched_list, name="list"),
    path("<int:unmatched_id>/", unmatched_views.unmatched_detail, name="detail"),
    path("<int:unmatched_id>/dismiss/", unmatched_views.unmatched_dismiss, name="dismiss"),
]
