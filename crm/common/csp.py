"""Exceptions to the Content Security Policy that one page needs (read by django-csp)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse

# Forms that end in a redirect to Stripe's pages (Checkout, the billing portal): the CSP's
# form-action covers that redirect, so such a page (only) allows Stripe's hosts.
STRIPE_PAGES = ("https://checkout.stripe.com", "https://billing.stripe.com")


def allow_stripe_redirects(response: HttpResponse) -> HttpResponse:
    sources = list(STRIPE_PAGES)
    if settings.STRIPE_API_BASE:  # a stand-in Stripe (tests) serves those pages itself
        parts = urlsplit(settings.STRIPE_API_BASE)
        sources.append(f"{parts.scheme}://{parts.netloc}")
    response._csp_update = {"form-action": sources}  # type: ignore[attr-defined]  # read by django-csp
    return response
