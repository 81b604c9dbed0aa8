from __future__ import annotations

from tests.crm.staff_fixtures import company_settings_a

__all__ = ["company_settings_a"]
