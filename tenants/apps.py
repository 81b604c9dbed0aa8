from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Firmy")

    def ready(self) -> None:
        from tenants import contenttypes, security, signals  # noqa: F401

        contenttypes.install()
        security.admin_install()
