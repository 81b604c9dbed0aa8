"""Custom field definitions for tests (made through the service, as Szef would)."""

from __future__ import annotations

from typing import Any

from crm.customfields.models import CustomField
from crm.customfields.services import custom_field_create


def field_make(model: str = "customer", name: str = "Branża", type: str = "text", **kwargs: Any) -> CustomField:
    return custom_field_create(actor=None, model=model, name=name, type=type, **kwargs)
