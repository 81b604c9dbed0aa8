from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "crm.privacy"
    label = "privacy"
    verbose_name = _("Dane osobowe (RODO)")

    def ready(self) -> None:
        from crm.activity.messages import MESSAGES
        from crm.common.records import card_section_register
        from crm.common.settings_pages import settings_page_register
        from crm.contacts.consents_view import consent_summaries_register
        from crm.privacy.cards import CUSTOMER_TAB, LEAD_SIDE
        from crm.privacy.consents import consent_summaries_of

        # The log's texts of this app's events: no personal data in them, only what changed.
        MESSAGES.update(
            {
                "consent.email.granted": _("Zapisano zgodę na marketing e-mailowy."),
                "consent.email.withdrawn": _("Zapisano wycofanie zgody na marketing e-mailowy."),
                "consent.phone.granted": _("Zapisano zgodę na marketing telefoniczny."),
                "consent.phone.withdrawn": _("Zapisano wycofanie zgody na marketing telefoniczny."),
                "person.anonymised": _("Zanonimizowano dane osoby (RODO)."),
                "register.updated": _("Zmieniono rejestr czynności przetwarzania."),
            }
        )
        consent_summaries_register(consent_summaries_of)
        card_section_register(CUSTOMER_TAB)
        card_section_register(LEAD_SIDE)
        settings_page_register(
            url_name="privacy_settings:register",
            label=_("Rejestr czynności przetwarzania"),
            icon="journal-text",
            order=97,
        )
