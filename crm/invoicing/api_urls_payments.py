"""REST endpoints of the payments side, mounted under /api/v1/ by config/urls_api.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from crm.invoicing import api_payments, api_recurring

router = SimpleRouter()
router.register("payments", api_payments.PaymentViewSet, basename="payment")
router.register("unpaid-invoices", api_payments.UnpaidInvoiceViewSet, basename="unpaid-invoice")
router.register("recurring-invoices", api_recurring.RecurringInvoiceViewSet, basename="recurring-invoice")

urlpatterns: list[URLPattern | URLResolver] = [
    path("unpaid-invoices/ageing/", api_payments.AgeingView.as_view(), name="unpaid-ageing"),
    *router.urls,
    path("sales-report/", api_payments.SalesReportView.as_view(), name="sales-report"),
    path("settings/payment-reminders/", api_payments.ReminderSettingsView.as_view(), name="settings-payment-reminders"),
]
