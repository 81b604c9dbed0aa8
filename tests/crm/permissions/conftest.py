from __future__ import annotations

from tests.crm.staff_fixtures import _media

__all__ = ["_media"]
