"""Rows made once for all the tests of a module, never committed.

A module-scoped fixture opens a transaction, makes its rows in it and yields; each test's
own transaction (pytest-django's `db`) is then a savepoint inside it, rolled back after the
test, so every test of the module starts from the same rows. After the module's last test
the whole transaction is rolled back: the next module, in this worker, sees none of it.
pytest tears a module's fixtures down before it runs another module's test, so the open
transaction never reaches another module.

    @pytest.fixture(scope="module")
    def rows(companies, django_db_blocker):
        with module_transaction(django_db_blocker):
            with schema_context(companies.a.schema_name):
                filled = rows_fill()
            yield filled
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction


@contextmanager
def module_transaction(django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
