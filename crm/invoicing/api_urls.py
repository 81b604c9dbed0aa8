"""REST endpoints of invoices, mounted under /api/v1/ by config/urls_api.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from crm.invoicing.api import InvoiceViewSet

router = SimpleRouter()
router.register("invoices", InvoiceViewSet, basename="invoice")

urlpatterns: list[URLPattern | URLResolver] = [
    # Without a trailing slash, as the contract names it (a router adds one to every route).
    path("invoices/<int:pk>/ksef.xml", InvoiceViewSet.as_view({"get": "ksef_xml"}), name="invoice-ksef-xml"),
    *router.urls,
]
