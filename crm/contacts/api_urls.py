"""REST endpoints of this app, mounted under /api/v1/ by config/urls_api.py."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from crm.contacts.api import ContactPersonViewSet, CustomerViewSet

router = SimpleRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("contacts", ContactPersonViewSet, basename="contact")
urlpatterns = router.urls
