"""Mounted under /api/v1/settings/ by config/urls_api.py."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from crm.backups.api import BackupViewSet

router = SimpleRouter()
router.register("backups", BackupViewSet, basename="settings-backups")
urlpatterns = router.urls
