"""Celery app that carries the tenant schema in every task's headers.

tenant-schemas-celery adds `_schema_name` to the headers of a task sent while a
company schema is active and switches the worker's connection to that schema
before the task runs (and back afterwards).
"""

from __future__ import annotations

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = CeleryApp("imcrm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
