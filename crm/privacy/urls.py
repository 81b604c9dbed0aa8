"""The personal-data downloads (namespace `privacy`), mounted under /customers/."""

from __future__ import annotations

from django.urls import path

from crm.privacy import views

app_name = "privacy"
urlpatterns = [
    path("<int:pk>/personal-data/", views.customer_personal_data, name="customer_personal_data"),
    path("contacts/<int:pk>/personal-data/", views.contact_personal_data, name="contact_personal_data"),
]
