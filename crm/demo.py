"""Sample data for the demo company. Each CRM app adds its part here; every step
must be idempotent (seed_demo runs on every `make run`)."""

from __future__ import annotations

from tenants.models import Company


def demo_data_seed(*, company: Company) -> None:
    """Called with the demo company's schema active."""
    return None
