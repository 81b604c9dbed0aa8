"""Public host: the pricing page and Stripe's webhook endpoint."""

from __future__ import annotations

import logging

import stripe
from django.conf import settings
from django.db import DataError, IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from billing_saas import stripe_api
from billing_saas.models import Plan
from billing_saas.webhooks import event_parse, event_process

logger = logging.getLogger(__name__)
SIGNATURE_TOLERANCE = stripe.Webhook.DEFAULT_TOLERANCE  # seconds; older signatures are replays


def pricing(request: HttpRequest) -> HttpResponse:
    plans = list(Plan.objects.filter(is_active=True))
    return render(request, "billing_saas/pricing.html", {"plans": plans})


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Verify the signature with the stripe library, check the event's shape, then
    store and process it once. 400: not from Stripe, or not an event (nothing
    changes); 500: processing failed for a reason that may pass (Stripe unreachable,
    a bug) and was rolled back, so Stripe's retry starts clean; 200 otherwise, also
    for an event that conflicts with what we hold (logged: a retry would not help)."""
    if not stripe_api.webhooks_configured():
        return JsonResponse({"error": "webhooks are not configured"}, status=400)
    payload = request.body
    try:
        stripe.WebhookSignature.verify_header(
            payload, request.headers.get("Stripe-Signature"), settings.STRIPE_WEBHOOK_SECRET, SIGNATURE_TOLERANCE
        )
    except stripe.SignatureVerificationError:
        return JsonResponse({"error": "invalid signature"}, status=400)
    except UnicodeDecodeError:
        return JsonResponse({"error": "invalid payload"}, status=400)
    try:
        event = event_parse(payload)
    except ValueError as exc:
        logger.warning("signed stripe webhook refused: %s", exc)
        return JsonResponse({"error": "invalid event", "detail": str(exc)}, status=400)
    if not stripe_api.is_configured():
        # Applying an event means re-reading the subscription from Stripe.
        return JsonResponse({"error": "billing is not configured"}, status=503)
    try:
        processed = event_process(event)
    except (IntegrityError, DataError):
        logger.exception("stripe event %s (%s) conflicts with stored data; acknowledged", event["id"], event["type"])
        return JsonResponse({"received": True, "ignored": True})
    except Exception:
        logger.exception("stripe event %s (%s) failed; rolled back", event["id"], event["type"])
        return JsonResponse({"error": "processing failed"}, status=500)
    return JsonResponse({"received": True, "duplicate": not processed})
