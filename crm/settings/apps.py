from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from crm.common.settings_pages import settings_page_register


class CrmSettingsConfig(AppConfig):
    name = "crm.settings"
    label = "crmsettings"
    verbose_name = _("Ustawienia")

    def ready(self) -> None:
        from crm.accounts.access import api_access_rule_register
        from crm.settings.mfa import mfa_api_rule

        api_access_rule_register(mfa_api_rule)  # required 2FA bars token and session API calls
        for order, (url_name, label, icon) in enumerate(SETTINGS_PAGES, start=1):
            settings_page_register(url_name=url_name, label=label, icon=icon, order=order * 10)


SETTINGS_PAGES = [
    ("crmsettings:index", _("Przegląd"), "grid"),
    ("crmsettings:users", _("Użytkownicy"), "people"),
    ("crmsettings:contacts", _("Kontakty"), "person-lines-fill"),
    ("crmsettings:tasks", _("Zadania"), "check2-square"),
    ("crmsettings:sales", _("Sprzedaż"), "kanban"),
    ("crmsettings:expenses", _("Wydatki"), "receipt"),
    ("crmsettings:contracts", _("Umowy"), "journal-text"),
    ("crmsettings:tickets", _("Zgłoszenia"), "life-preserver"),
    ("crmsettings:leads", _("Leady"), "person-plus"),
    ("crmsettings:company", _("Firma"), "building"),
    ("crmsettings:invoicing", _("Faktury"), "receipt"),
    ("crmsettings:ksef", _("KSeF"), "cloud-arrow-up"),
    ("crmsettings:email", _("E-mail"), "envelope"),
    ("crmsettings:security", _("Bezpieczeństwo"), "shield-lock"),
    ("crmsettings:activity", _("Dziennik aktywności"), "clock-history"),
    ("crmsettings:system_log", _("Dziennik systemowy"), "exclamation-triangle"),
]
