"""REST endpoints of this app, mounted under /api/v1/ by config/urls_api.py."""

from __future__ import annotations

from django.urls import path

from crm.privacy.api import ContactPersonalDataView, CustomerPersonalDataView, LeadPersonalDataView
from crm.privacy.api_persons import (
    ContactAnonymiseView,
    ContactConsentsView,
    CustomerAnonymiseView,
    CustomerConsentsView,
    LeadAnonymiseView,
)

urlpatterns = [
    path("customers/<int:pk>/personal-data/", CustomerPersonalDataView.as_view(), name="customer-personal-data"),
    path("contacts/<int:pk>/personal-data/", ContactPersonalDataView.as_view(), name="contact-personal-data"),
    path("leads/<int:pk>/personal-data/", LeadPersonalDataView.as_view(), name="lead-personal-data"),
    path("customers/<int:pk>/consents/", CustomerConsentsView.as_view(), name="customer-consents"),
    path("contacts/<int:pk>/consents/", ContactConsentsView.as_view(), name="contact-consents"),
    path("customers/<int:pk>/anonymise/", CustomerAnonymiseView.as_view(), name="customer-anonymise"),
    path("contacts/<int:pk>/anonymise/", ContactAnonymiseView.as_view(), name="contact-anonymise"),
    path("leads/<int:pk>/anonymise/", LeadAnonymiseView.as_view(), name="lead-anonymise"),
]
