"""Every call to Stripe goes through here, through the official `stripe` library.

`STRIPE_API_BASE` (tests: a local fake server) replaces Stripe's address; without
`STRIPE_SECRET_KEY` billing is "not configured" and nothing here is called.
"""

from __future__ import annotations

from typing import Any

import stripe
from django.conf import settings

TIMEOUT_SECONDS = 15


class BillingNotConfigured(Exception):
    pass


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def webhooks_configured() -> bool:
    return bool(settings.STRIPE_WEBHOOK_SECRET)


def client() -> stripe.StripeClient:
    if not is_configured():
        raise BillingNotConfigured
    base = settings.STRIPE_API_BASE.rstrip("/") if settings.STRIPE_API_BASE else ""
    if base:
        stripe.api_base = base  # module-level calls (none today) go to the same server
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": base} if base else None,
        max_network_retries=2,
        http_client=stripe.RequestsClient(timeout=TIMEOUT_SECONDS),
    )


def field(obj: Any, *path: str) -> Any:
    """obj[a][b]... or None, for Stripe objects and plain dicts alike."""
    for key in path:
        if obj is None:
            return None
        try:
            obj = obj[key]
        except (KeyError, TypeError, IndexError):
            return None
    return obj


def stripe_id(value: Any, *, max_length: int = 100) -> str | None:
    """The id of a Stripe object given as an id or as the expanded object; None when
    it is not a string we could store (events of an unexpected shape)."""
    if not isinstance(value, str):
        value = field(value, "id")
    return value if isinstance(value, str) and 0 < len(value) <= max_length else None


def int_or_none(value: Any) -> int | None:
    """An integer field of a Stripe object (a timestamp, a count), None when it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 0 <= number < 2**53 else None


def customer_create(*, company_id: int, name: str, email: str, subdomain: str) -> str:
    customer = client().v1.customers.create(
        params={
            "name": name,
            "email": email,
            "metadata": {"company_id": str(company_id), "subdomain": subdomain},
        },
        options={"idempotency_key": f"imcrm-{settings.IMCRM_BASE_DOMAIN}-customer-{company_id}"},
    )
    return str(customer.id)


def checkout_session_create(params: dict[str, Any]) -> Any:
    return client().v1.checkout.sessions.create(params=params)  # type: ignore[arg-type]


def checkout_session_retrieve(session_id: str) -> Any:
    return client().v1.checkout.sessions.retrieve(session_id)


def portal_session_create(*, customer_id: str, return_url: str, locale: str) -> Any:
    return client().v1.billing_portal.sessions.create(
        params={"customer": customer_id, "return_url": return_url, "locale": locale}
    )


def invoice_list(*, customer_id: str, limit: int = 24) -> list[Any]:
    result = client().v1.invoices.list(params={"customer": customer_id, "limit": limit})
    return list(result.data)


def subscription_retrieve(subscription_id: str) -> Any | None:
    """The subscription as Stripe has it now, or None when Stripe does not know it."""
    try:
        return client().v1.subscriptions.retrieve(subscription_id)
    except stripe.InvalidRequestError as exc:
        if getattr(exc, "code", None) == "resource_missing":
            return None
        raise


def subscription_update(subscription_id: str, params: dict[str, Any]) -> Any:
    return client().v1.subscriptions.update(subscription_id, params=params)  # type: ignore[arg-type]


def subscription_cancel(subscription_id: str) -> Any | None:
    try:
        return client().v1.subscriptions.cancel(subscription_id)
    except stripe.InvalidRequestError as exc:
        if getattr(exc, "code", None) == "resource_missing":
            return None
        raise


def subscription_price_id(subscription: Any) -> str:
    items = field(subscription, "items", "data") or []
    return str(field(items[0], "price", "id") or "") if isinstance(items, list) and items else ""


def subscription_period_end(subscription: Any) -> int | None:
    """current_period_end moved from the subscription to its items in newer API versions."""
    value = field(subscription, "current_period_end")
    if value is None:
        items = field(subscription, "items", "data") or []
        value = field(items[0], "current_period_end") if isinstance(items, list) and items else None
    return int_or_none(value) or None


def invoice_subscription_id(invoice: Any) -> str:
    """The subscription an invoice belongs to (older and newer API shapes)."""
    value = field(invoice, "subscription") or field(invoice, "parent", "subscription_details", "subscription")
    return stripe_id(value) or ""


VAT_RATE_KEY = "imcrm_vat"  # metadata marking the tax rate this product created


def vat_tax_rate_id(percent: str) -> str:
    """The id of the exclusive Polish VAT rate (created once, then found by its metadata)."""
    rates = client().v1.tax_rates.list(params={"active": True, "limit": 100})
    for rate in rates.data:
        metadata = field(rate, "metadata") or {}
        if field(metadata, VAT_RATE_KEY) == percent and field(rate, "inclusive") is False:
            return str(rate.id)
    rate = client().v1.tax_rates.create(
        params={
            "display_name": "VAT",
            "description": f"VAT {percent}% (PL)",
            "percentage": float(percent),
            "inclusive": False,
            "country": "PL",
            "jurisdiction": "PL",
            "tax_type": "vat",
            "metadata": {VAT_RATE_KEY: percent},
        },
        options={"idempotency_key": f"imcrm-{settings.IMCRM_BASE_DOMAIN}-vat-{percent}"},
    )
    return str(rate.id)


def customer_tax_id_ensure(customer_id: str, value: str) -> None:
    """The customer carries this EU VAT number (added once; an outdated one is replaced)."""
    existing = client().v1.customers.tax_ids.list(customer_id, params={"limit": 100})
    for tax_id in existing.data:
        if field(tax_id, "type") == "eu_vat" and field(tax_id, "value") == value:
            return
    for tax_id in existing.data:
        if field(tax_id, "type") == "eu_vat":
            client().v1.customers.tax_ids.delete(customer_id, str(tax_id.id))
    client().v1.customers.tax_ids.create(customer_id, params={"type": "eu_vat", "value": value})
