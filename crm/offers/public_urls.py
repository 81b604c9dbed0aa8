"""The customer's pages of an offer (no login): /o/<token>/ on the company host."""

from __future__ import annotations

from django.urls import path

from crm.offers import public

app_name = "offers_public"
urlpatterns = [
    path("<str:token>/", public.offer_public, name="page"),
    path("<str:token>/pdf/", public.offer_public_pdf, name="pdf"),
    path("<str:token>/accept/", public.offer_public_accept, name="accept"),
    path("<str:token>/decline/", public.offer_public_decline, name="decline"),
]
