"""The RODO pages of persons (namespace `privacy`), mounted under /customers/."""

from __future__ import annotations

from django.urls import path

from crm.privacy import views, views_persons

app_name = "privacy"
urlpatterns = [
    path("<int:pk>/personal-data/", views.customer_personal_data, name="customer_personal_data"),
    path("contacts/<int:pk>/personal-data/", views.contact_personal_data, name="contact_personal_data"),
    path("leads/<int:pk>/personal-data/", views.lead_personal_data, name="lead_personal_data"),
    path("<int:pk>/privacy/", views_persons.customer_privacy, name="customer_privacy"),
    path("contacts/<int:pk>/privacy/", views_persons.contact_privacy, name="contact_privacy"),
    path("<int:pk>/anonymise/", views_persons.customer_anonymise_page, name="customer_anonymise"),
    path("contacts/<int:pk>/anonymise/", views_persons.contact_anonymise_page, name="contact_anonymise"),
    path("leads/<int:pk>/anonymise/", views_persons.lead_anonymise_page, name="lead_anonymise"),
]
