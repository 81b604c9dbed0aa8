from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingSaasConfig(AppConfig):
    name = "billing_saas"
    verbose_name = _("Subskrypcje")

    def ready(self) -> None:
        from billing_saas import signals  # noqa: F401  (connects company_provisioned)
