from __future__ import annotations

from tests.crm.staff_fixtures import _media, company_settings_a, in_a, kierownik

__all__ = ["_media", "company_settings_a", "in_a", "kierownik"]
