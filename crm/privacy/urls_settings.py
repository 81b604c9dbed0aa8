"""Settings > Rejestr czynności przetwarzania (namespace `privacy_settings`), under /settings/processing-register/."""

from __future__ import annotations

from django.urls import path

from crm.privacy import views_register

app_name = "privacy_settings"
urlpatterns = [
    path("", views_register.register, name="register"),
    path("print/", views_register.register_print, name="register_print"),
    path("<slug:key>/", views_register.register_edit, name="register_edit"),
    path("<slug:key>/reset/", views_register.register_reset, name="register_reset"),
]
