"""REST endpoints of Settings, mounted under /api/v1/settings/ by config/urls_api.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from crm.automations.api import AutomationRuleViewSet, AutomationRunViewSet
from crm.customfields.api import CustomFieldViewSet
from crm.settings import api
from crm.settings.api_company import CompanyDataView
from crm.settings.api_staff_tokens import StaffTokenViewSet
from crm.settings.api_system_log import SystemEventViewSet
from crm.webhooks.api import WebhookDeliveryViewSet, WebhookEndpointViewSet

router = SimpleRouter()
for slug, viewset in api.CATEGORY_VIEWSETS.items():
    router.register(slug, viewset, basename=f"settings-{slug}")
router.register("custom-fields", CustomFieldViewSet, basename="settings-custom-fields")
router.register("webhooks/deliveries", WebhookDeliveryViewSet, basename="settings-webhook-deliveries")
router.register("webhooks", WebhookEndpointViewSet, basename="settings-webhooks")
router.register("automations/runs", AutomationRunViewSet, basename="settings-automation-runs")
router.register("automations", AutomationRuleViewSet, basename="settings-automations")
router.register("users", api.UserViewSet, basename="settings-users")
router.register("invitations", api.InvitationViewSet, basename="settings-invitations")
router.register(r"users/(?P<user_id>[0-9]+)/tokens", StaffTokenViewSet, basename="settings-user-tokens")
router.register("activity", api.ActivityViewSet, basename="settings-activity")
router.register("system-log", SystemEventViewSet, basename="settings-system-log")

urlpatterns: list[URLPattern | URLResolver] = [
    path("company/", CompanyDataView.as_view(), name="settings-company"),
    *router.urls,
]
