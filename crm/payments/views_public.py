"""No login, on the company host: the company's Stripe webhook and the page the customer
returns to from Stripe Checkout.

POST /payments/stripe/webhook/: the signature is checked with this company's own
signing secret (Settings > Płatności online), so another company's secret, or none, is a
400 that changes nothing; then the event is handled once (crm/payments/webhooks.py).
Answers: 200 {"received": true, "outcome": ...}; 400 not configured, a wrong signature or
not an event. CSRF-exempt; marked like the customers' pages (crm/common/token_pages.py):
answered while the company is read-only and outside the allowed-IP list and 2FA.
"""

from __future__ import annotations

import logging

import stripe
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from crm.common.api import json_loads
from crm.common.token_pages import customer_page, private
from crm.payments.gateway import gateway_keys
from crm.payments.webhooks import gateway_event_process

logger = logging.getLogger(__name__)
SIGNATURE_TOLERANCE = stripe.Webhook.DEFAULT_TOLERANCE  # seconds; older signatures are replays
MAX_EVENT_DEPTH = 64
MAX_BODY_BYTES = 1024 * 1024


@customer_page
@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    secret = gateway_keys().webhook_secret
    if not secret:
        return JsonResponse({"error": "card payments are not configured"}, status=400)
    payload = request.body
    if len(payload) > MAX_BODY_BYTES:
        return JsonResponse({"error": "too large"}, status=413)
    try:
        stripe.WebhookSignature.verify_header(
            payload.decode("utf-8"), request.headers.get("Stripe-Signature", ""), secret, SIGNATURE_TOLERANCE
        )
        event = json_loads(payload, max_depth=MAX_EVENT_DEPTH)
    except stripe.SignatureVerificationError:
        return JsonResponse({"error": "invalid signature"}, status=400)
    except (UnicodeDecodeError, ValueError):
        return JsonResponse({"error": "invalid payload"}, status=400)
    if not isinstance(event, dict):
        return JsonResponse({"error": "invalid event"}, status=400)
    try:
        outcome = gateway_event_process(event)
    except ValueError as exc:
        logger.warning("signed company stripe webhook refused: %s", exc)
        return JsonResponse({"error": "invalid event"}, status=400)
    return JsonResponse({"received": True, "outcome": outcome})


@customer_page
@require_GET
def checkout_return(request: HttpRequest) -> HttpResponse:
    paid = request.GET.get("result") != "cancelled"
    return private(render(request, "payments/return.html", {"paid": paid}))
