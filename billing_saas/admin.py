"""Django admin (public host, operators with 2FA): plans are edited here, including
their Stripe price ids; the billing records are shown read-only."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from billing_saas.models import BillingAccount, OperatorAuditEntry, Plan, StripeEvent


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "price_monthly",
        "price_yearly",
        "seat_limit",
        "customer_limit",
        "is_active",
        "is_trial_default",
    )
    list_editable = ("is_active",)
    ordering = ("sort_order",)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(BillingAccount)
class BillingAccountAdmin(_ReadOnly):
    list_display = ("company", "stripe_customer_id", "stripe_subscription_status", "interval", "operator_suspended")
    search_fields = ("company__name", "company__subdomain", "stripe_customer_id", "stripe_subscription_id")


@admin.register(StripeEvent)
class StripeEventAdmin(_ReadOnly):
    list_display = ("id", "type", "created", "company", "processed_at")
    list_filter = ("type",)
    search_fields = ("id",)


@admin.register(OperatorAuditEntry)
class OperatorAuditEntryAdmin(_ReadOnly):
    list_display = ("at", "operator_email", "company_name", "action", "reason")
    list_filter = ("action",)
    search_fields = ("company_name", "operator_email", "reason")
