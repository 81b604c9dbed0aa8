"""Django caches ContentType rows per database alias; with a schema per company the
same alias serves many schemas whose content type ids differ (public has other
apps). Key the cache by (alias, schema) so a switch never returns a stale row."""

from __future__ import annotations

from typing import Any

from django.db import connections


class SchemaKeyedCache(dict):
    @staticmethod
    def _key(alias: str) -> tuple[str, str]:
        return (alias, getattr(connections[alias], "schema_name", "public"))

    def __getitem__(self, alias: Any) -> Any:
        return super().__getitem__(self._key(alias))

    def __contains__(self, alias: object) -> bool:
        return super().__contains__(self._key(alias))  # type: ignore[arg-type]

    def get(self, alias: Any, default: Any = None) -> Any:
        return super().get(self._key(alias), default)

    def setdefault(self, alias: Any, default: Any = None) -> Any:
        return super().setdefault(self._key(alias), default)


def install() -> None:
    from django.contrib.contenttypes.models import ContentType

    if not isinstance(ContentType.objects._cache, SchemaKeyedCache):  # type: ignore[attr-defined]
        ContentType.objects._cache = SchemaKeyedCache()  # type: ignore[attr-defined]
