"""Company host: Settings > Billing (Szef only), mounted at /settings/billing/.
The "why is it locked" page is for every signed-in person, so it is mounted on
its own in config/urls_tenant.py (`billing-locked`, /billing/locked/)."""

from __future__ import annotations

from django.urls import path

from billing_saas import views_tenant

app_name = "billing_saas"
urlpatterns = [
    path("", views_tenant.billing, name="billing"),
    path("checkout/", views_tenant.checkout_start, name="checkout"),
    path("portal/", views_tenant.portal_start, name="portal"),
    path("confirm-email/", views_tenant.owner_email_resend_view, name="owner_email_resend"),
]
