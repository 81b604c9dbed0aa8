from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "crm.accounts"
    label = "accounts"
    verbose_name = _("Użytkownicy")

    def ready(self) -> None:
        from crm.accounts import signals  # noqa: F401  (2FA switched on -> API tokens revoked)
