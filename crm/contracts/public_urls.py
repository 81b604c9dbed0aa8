"""The customer's pages of a contract (no login): /c/<token>/ on the company host."""

from __future__ import annotations

from django.urls import path

from crm.contracts import public

app_name = "contracts_public"
urlpatterns = [
    path("<str:token>/", public.contract_public, name="page"),
    path("<str:token>/sign/", public.contract_public_sign, name="sign"),
]
