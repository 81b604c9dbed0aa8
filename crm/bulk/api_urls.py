"""Mounted under /api/v1/ before the record apps' routers (their `<pk>/` would take `bulk`)."""

from __future__ import annotations

from django.urls import path

from crm.bulk.api import BulkView

urlpatterns = [
    path("customers/bulk/", BulkView.as_view(key="customer"), name="customer-bulk"),
    path("leads/bulk/", BulkView.as_view(key="lead"), name="lead-bulk"),
    path("deals/bulk/", BulkView.as_view(key="deal"), name="deal-bulk"),
    path("tasks/bulk/", BulkView.as_view(key="task"), name="task-bulk"),
]
