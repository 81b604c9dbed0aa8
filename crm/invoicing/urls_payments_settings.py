"""Settings > Przypomnienia o płatnościach (Szef), under /settings/payment-reminders/."""

from __future__ import annotations

from django.urls import path

from crm.invoicing import views_payments as views

app_name = "payments_settings"
urlpatterns = [path("", views.reminder_settings, name="reminders")]
