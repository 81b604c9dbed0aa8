from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "public_site/landing.html")


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "public_site/terms.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "public_site/privacy.html")


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "public_site/contact.html")
