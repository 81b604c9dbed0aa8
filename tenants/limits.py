"""Plan limits asked for by the CRM before it creates something that counts.

`limit_problem("seats")` / `limit_problem("customers")` return None when allowed, or
the message to show. The rules live with the plans (billing_saas registers its check
in `ready()`); the CRM, lower in the layers, only asks here.
"""

from __future__ import annotations

from typing import Protocol


class LimitCheck(Protocol):
    def __call__(self, resource: str) -> str | None: ...


_checks: dict[str, LimitCheck] = {}


def limit_check_register(name: str, check: LimitCheck) -> None:
    _checks[name] = check


def limit_problem(resource: str) -> str | None:
    """The first refusal for one more `resource` ("seats", "customers"), or None."""
    for check in _checks.values():
        problem = check(resource)
        if problem:
            return problem
    return None
