from __future__ import annotations

from tests.crm.contacts.conftest import in_a, restricted

__all__ = ["in_a", "restricted"]
