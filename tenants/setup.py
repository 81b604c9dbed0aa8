"""What a new company gets besides its schema, domain and Szef: steps the apps register.

Provisioning (`tenants.services.tenant_provision`) runs every registered step, in
order, inside its transaction with the new company's schema active; a step that
raises rolls the whole signup back. Apps register in `AppConfig.ready()`:

    company_setup_step("categories", categories_defaults_create_step, order=20)

This is how a lower layer (tenants) calls into higher ones (settings row, default
categories, billing account) without importing them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from crm.common.types import AuthUser
from tenants.models import Company


class SetupStep(Protocol):
    def __call__(self, *, company: Company, owner: AuthUser) -> None: ...


@dataclass(frozen=True)
class _Registered:
    name: str
    order: int
    step: SetupStep


_steps: dict[str, _Registered] = {}


def company_setup_step(name: str, step: SetupStep, *, order: int = 100) -> None:
    """Register (or replace, by name) a step run for every new company."""
    _steps[name] = _Registered(name=name, order=order, step=step)


def company_setup_step_remove(name: str) -> None:
    _steps.pop(name, None)


def company_setup_steps() -> list[str]:
    return [r.name for r in sorted(_steps.values(), key=lambda r: (r.order, r.name))]


def company_setup_run(*, company: Company, owner: AuthUser, skip: frozenset[str] = frozenset()) -> None:
    """Run every registered step (but those named in `skip`) for `company` (its schema must be active)."""
    for registered in sorted(_steps.values(), key=lambda r: (r.order, r.name)):
        if registered.name not in skip:
            registered.step(company=company, owner=owner)
