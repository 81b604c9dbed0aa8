"""Pages of the public site: the landing page (with the price list), terms,
privacy and contact. Signup and sign-in live in `signup.py` and `signin.py`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from public_site.selectors import price_plans
from tenants.services import TRIAL_DAYS


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "public_site/landing.html", {"plans": price_plans(), "trial_days": TRIAL_DAYS})


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "public_site/terms.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "public_site/privacy.html")


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "public_site/contact.html")
