"""Public host: pricing and the Stripe webhook (contract: /billing/stripe/webhook/)."""

from __future__ import annotations

from django.urls import path

from billing_saas import views_public

app_name = "billing_saas"
urlpatterns = [
    path("pricing/", views_public.pricing, name="pricing"),
    path("billing/stripe/webhook/", views_public.stripe_webhook, name="stripe_webhook"),
]
