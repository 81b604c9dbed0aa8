from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.storage import storages


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> Iterator[None]:
    """Each test stores files in its own MEDIA_ROOT (django-tenants' storage caches it)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    storages["default"].__dict__.pop("relative_media_root", None)
    yield
    storages["default"].__dict__.pop("relative_media_root", None)


@pytest.fixture
def worker(company_a: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Run what a request queues as the worker would (the schema in the task headers), when
    the request's transaction commits: `with worker(): client.post(...)`."""
    from tenants import queue

    def run(task: Any, *args: Any, **kwargs: Any) -> None:
        task.apply(args=args, headers={"_schema_name": company_a.schema_name}, throw=True)

    monkeypatch.setattr(queue, "enqueue", run)
    return lambda: django_capture_on_commit_callbacks(execute=True)
