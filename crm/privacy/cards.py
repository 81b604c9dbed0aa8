"""The RODO tab of the customer card (registered in `PrivacyConfig.ready`): a person's
consents with their history and the anonymisation; for a company customer, the
consents of each of its contact persons with links to their RODO pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from crm.accounts.access import is_szef
from crm.common.records import CardSection
from crm.common.types import AuthedRequest
from crm.contacts.models import Customer
from crm.leads.models import Lead
from crm.privacy.anonymise import is_anonymised
from crm.privacy.consents import consent_history, consent_states, consents_apply
from crm.privacy.forms import ConsentForm

HISTORY_LIMIT = 50


def person_context(request: AuthedRequest, person: Any, form: ConsentForm | None = None) -> dict[str, Any]:
    """What the consents block shows about one person (customer or contact person)."""
    return {
        "person": person,
        "states": consent_states(person),
        "history": list(consent_history(person)[:HISTORY_LIMIT]),
        "consent_form": form or ConsentForm(),
        "may_anonymise": is_szef(request.user) and not is_anonymised(person),
        "anonymised": is_anonymised(person),
    }


def _customer_tab(request: AuthedRequest, customer: Customer) -> dict[str, Any]:
    if consents_apply(customer):
        return {"is_person": True, **person_context(request, customer)}
    contacts = [(contact, consent_states(contact)) for contact in customer.contacts.all()]
    return {"is_person": False, "contact_states": contacts}


CUSTOMER_TAB = CardSection(
    host="customer",
    key="privacy",
    label=_("RODO"),
    template="privacy/customer_tab.html",
    context=_customer_tab,
    place="tab",
    order=90,
)


def _lead_side(request: AuthedRequest, lead: Lead) -> dict[str, Any]:
    anonymised = is_anonymised(lead)
    return {
        "anonymised": anonymised,
        "may_anonymise": is_szef(request.user) and not anonymised and not lead.is_converted,
    }


LEAD_SIDE = CardSection(
    host="lead",
    key="privacy",
    label=_("RODO"),
    template="privacy/lead_side.html",
    context=_lead_side,
    place="side",
    order=90,
    available=lambda lead: not lead.is_converted,
)
