from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Sample data for the demo company and the `seed_demo` command: the top layer,
    it may use every app."""

    name = "crm.demo"
    label = "demo"
    verbose_name = _("Firma demonstracyjna")
