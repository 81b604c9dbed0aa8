"""Settings > Płatności online (Szef), under /settings/online-payments/."""

from __future__ import annotations

from django.urls import path

from crm.payments import views

app_name = "online_payments_settings"
urlpatterns = [
    path("", views.gateway_settings, name="settings"),
    path("test/", views.gateway_test, name="test"),
]
