"""/payments/ on the company host: the invoice card's payment link (staff), the company's
Stripe webhook and the customer's return page (no login)."""

from __future__ import annotations

from django.urls import path

from crm.payments import views, views_public

app_name = "online_payments"
urlpatterns = [
    path("invoices/<int:pk>/link/", views.invoice_payment_link, name="invoice_link"),
    path("stripe/webhook/", views_public.stripe_webhook, name="webhook"),
    path("return/", views_public.checkout_return, name="return"),
]
