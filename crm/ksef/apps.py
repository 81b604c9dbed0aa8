from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KsefAppConfig(AppConfig):
    """KSeF, Poland's e-invoicing system: FA(3) XML validated against the official schema
    (shipped in schema/), the KSeF 2.0 API client and verification links. No models:
    installed only for its translations; documents call it."""

    name = "crm.ksef"
    label = "ksef"
    verbose_name = _("KSeF")
