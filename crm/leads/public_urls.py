"""The public web-to-lead forms (no login): /forms/<slug>/ on the company host."""

from __future__ import annotations

from django.urls import path

from crm.leads import public

app_name = "leads_public"
urlpatterns = [
    path("<slug:slug>/", public.lead_form_public, name="form"),
]
