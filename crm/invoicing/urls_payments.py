"""Pages of the payments side, mounted under /invoices/ next to the invoices' own pages."""

from __future__ import annotations

from django.urls import path

from crm.invoicing import views_payments as views
from crm.invoicing import views_recurring

app_name = "payments"
urlpatterns = [
    path("<int:pk>/payments/", views.invoice_payments, name="invoice_payments"),
    path("<int:pk>/payments/<int:payment_pk>/delete/", views.payment_remove, name="payment_delete"),
    path("<int:pk>/reminder/", views.reminder_send, name="reminder_send"),
    path("unpaid/", views.unpaid_list, name="unpaid"),
    path("unpaid/csv/", views.unpaid_csv, name="unpaid_csv"),
    path("sales-report/", views.sales_report_view, name="sales_report"),
    path("sales-report/csv/", views.sales_report_csv, name="sales_report_csv"),
    path("recurring/", views_recurring.recurring_list, name="recurring_list"),
    path("<int:pk>/recurring/", views_recurring.invoice_recurring, name="invoice_recurring"),
    path("<int:pk>/recurring/delete/", views_recurring.recurring_remove, name="recurring_delete"),
]
