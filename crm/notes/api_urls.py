"""REST endpoints of this app, mounted under /api/v1/ by config/urls_api.py."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from crm.notes.api import AttachmentViewSet, NoteViewSet

router = SimpleRouter()
router.register("notes", NoteViewSet, basename="note")
router.register("files", AttachmentViewSet, basename="attachment")
urlpatterns = router.urls
