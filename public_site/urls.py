from __future__ import annotations

from django.urls import path

from public_site import views

app_name = "public_site"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("regulamin/", views.terms, name="terms"),
    path("prywatnosc/", views.privacy, name="privacy"),
    path("kontakt/", views.contact, name="contact"),
]
