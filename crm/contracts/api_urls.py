"""REST endpoints of this app, mounted under /api/v1/ by config/urls_api.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from crm.contracts.api import ContractTypeViewSet, ContractViewSet

router = SimpleRouter()
router.register("contracts", ContractViewSet, basename="contract")
router.register("contract-types", ContractTypeViewSet, basename="contract-type")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
