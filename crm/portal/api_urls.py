"""REST endpoints of the portal's staff side, mounted under /api/v1/ by config/urls_api.py:
a project's discussion with the customer and its files (crm/portal/api.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from crm.portal.api import ProjectFileViewSet, ProjectMessageViewSet

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "projects/<int:project_pk>/messages/",
        ProjectMessageViewSet.as_view({"get": "list", "post": "create"}),
        name="project-message-list",
    ),
    path(
        "projects/<int:project_pk>/messages/<int:pk>/",
        ProjectMessageViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="project-message-detail",
    ),
    path(
        "projects/<int:project_pk>/messages/<int:pk>/file/",
        ProjectMessageViewSet.as_view({"get": "attachment"}),
        name="project-message-file",
    ),
    path(
        "projects/<int:project_pk>/files/",
        ProjectFileViewSet.as_view({"get": "list", "post": "create"}),
        name="project-file-list",
    ),
    path(
        "projects/<int:project_pk>/files/<int:pk>/",
        ProjectFileViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="project-file-detail",
    ),
]
