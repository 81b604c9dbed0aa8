"""The inbound e-mail endpoint on the company host (/inbound/email/, no login: the
company's secret), mounted by config/urls_tenant.py."""

from __future__ import annotations

from django.urls import path

from crm.tickets import public

app_name = "tickets_inbound"
urlpatterns = [path("email/", public.inbound_email, name="email")]
