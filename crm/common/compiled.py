"""Statements compiled once per process: hot reads skip Django's SQL compiler.

Django builds a queryset's SQL anew on every run: for a row of many columns read with a
related row (`select_related`), choosing and quoting the columns costs more CPU than
PostgreSQL's answer and the objects built from it together. A few reads run in nearly
every request or on a path measured by bench/ (the company settings row, the draft an
issue locks), always the same statement with another key. `CompiledQuery` compiles such
a statement once per process (the first run) and then sends its SQL with the new key:

    DRAFT = CompiledQuery(lambda key: Invoice.objects.select_related("customer").filter(pk=key))
    invoice = DRAFT.first(pk)

The objects are what the queryset would give: fields, the `select_related` rows, the
annotations. The SQL names no schema (django-tenants' `search_path` picks the company),
so one compiled statement serves every company. What it gives is a list, never a
queryset: a queryset's further filters would be compiled anew, or worse, forgotten.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=Model)

# The key the statement is compiled with, then replaced by the real one among its parameters.
_KEY = -7_654_321_987_654


class CompiledQuery(Generic[M]):
    """`build(key)`: the queryset for one integer key (a primary or foreign key); no
    prefetching, no slicing (add those around it)."""

    def __init__(self, build: Callable[[int], QuerySet[M]]) -> None:
        self._build = build
        self._compiled: tuple[QuerySet[M], SQLCompiler, str, tuple[Any, ...], tuple[int, ...]] | None = None

    def _compile(self) -> tuple[QuerySet[M], SQLCompiler, str, tuple[Any, ...], tuple[int, ...]]:
        queryset = self._build(_KEY)
        if queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
            raise ValueError("CompiledQuery: prefetch the related rows after the read")
        compiler = queryset.query.get_compiler(using=queryset.db)
        # Also sets the columns and the related rows' layout (and refuses a lock outside a transaction).
        sql, params = compiler.as_sql()
        places = tuple(n for n, value in enumerate(params) if value == _KEY)
        if not places:
            raise ValueError("CompiledQuery: the key is not a parameter of the statement")
        compiled = (queryset, compiler, sql, tuple(params), places)
        self._compiled = compiled  # the same in every thread: a race compiles twice, harmlessly
        return compiled

    def reset(self) -> None:
        """Compile again on the next read (what `build` gives has changed)."""
        self._compiled = None

    def all(self, key: int) -> list[M]:
        queryset, template, sql, params, places = self._compiled or self._compile()
        connection = connections[queryset.db]
        if queryset.query.select_for_update and connection.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        values = list(params)
        for place in places:
            values[place] = key
        compiler = copy.copy(template)  # this thread's connection, this key's parameters
        compiler.connection = connection
        compiler.as_sql = lambda *args, **kwargs: (sql, tuple(values))  # type: ignore[method-assign]
        run = queryset._chain()  # type: ignore[attr-defined]
        run.query.get_compiler = lambda *args, **kwargs: compiler
        return list(run)  # Django's own iterable builds the objects from the compiler's layout

    def first(self, key: int) -> M | None:
        rows = self.all(key)
        return rows[0] if rows else None


def related_set(obj: Model, name: str, objects: Iterable[Model]) -> None:
    """Give `obj.<name>.all()` the rows read for it, as `prefetch_related(name)` would
    (a reverse foreign key: `invoice.lines`); each row's own foreign key gets `obj`."""
    manager = getattr(obj, name)
    rows = list(objects)
    for row in rows:
        manager.field.set_cached_value(row, obj)
    queryset = manager._apply_rel_filters(manager.model._default_manager.all())
    queryset._result_cache = rows
    queryset._prefetch_done = True
    cache: dict[str, Any] = obj.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[manager.field.remote_field.cache_name] = queryset
