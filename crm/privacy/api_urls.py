"""REST endpoints of this app, mounted under /api/v1/ by config/urls_api.py."""

from __future__ import annotations

from django.urls import path

from crm.privacy.api import ContactPersonalDataView, CustomerPersonalDataView

urlpatterns = [
    path("customers/<int:pk>/personal-data/", CustomerPersonalDataView.as_view(), name="customer-personal-data"),
    path("contacts/<int:pk>/personal-data/", ContactPersonalDataView.as_view(), name="contact-personal-data"),
]
