"""REST endpoints of this app, mounted under /api/v1/ by config/urls_api.py."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from crm.tickets.api import DepartmentViewSet, TicketPriorityViewSet, TicketStatusViewSet, TicketViewSet

router = SimpleRouter()
router.register("tickets", TicketViewSet, basename="ticket")
router.register("ticket-priorities", TicketPriorityViewSet, basename="ticket-priority")
router.register("ticket-statuses", TicketStatusViewSet, basename="ticket-status")
router.register("ticket-departments", DepartmentViewSet, basename="ticket-department")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
