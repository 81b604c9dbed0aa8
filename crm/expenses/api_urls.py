"""REST endpoints of this app, mounted under /api/v1/ by config/urls_api.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from crm.expenses.api import ExpenseViewSet

router = SimpleRouter()
router.register("expenses", ExpenseViewSet, basename="expense")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
