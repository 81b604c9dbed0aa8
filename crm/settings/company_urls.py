"""Company pages every signed-in staff member may open, mounted at /company/."""

from __future__ import annotations

from django.urls import path

from crm.settings.views import company

app_name = "company"
urlpatterns = [
    path("logo.png", company.logo, name="logo"),
]
