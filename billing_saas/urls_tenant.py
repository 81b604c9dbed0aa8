"""Company host: Settings > Billing, mounted at /settings/billing/."""

from __future__ import annotations

from django.urls import path

from billing_saas import views_tenant

app_name = "billing_saas"
urlpatterns = [
    path("", views_tenant.billing, name="billing"),
    path("checkout/", views_tenant.checkout_start, name="checkout"),
    path("portal/", views_tenant.portal_start, name="portal"),
    path("locked/", views_tenant.locked, name="locked"),
]
