"""The demo company's client portal: the first customer's first contact person signs in
at /portal/ with every permission (printed by `seed_demo` and `make run`)."""

from __future__ import annotations

from crm.contacts.models import ContactPerson, PortalPermission
from crm.portal.services import portal_access_grant

DEMO_PORTAL_PASSWORD = "demo12345"


def portal_demo_seed() -> str:
    """Give the portal to the demo's first contact person; their e-mail ("" when none)."""
    contact = ContactPerson.objects.exclude(email="").order_by("customer_id", "id").first()
    if contact is None:
        return ""
    portal_access_grant(
        email=contact.email, password=DEMO_PORTAL_PASSWORD, permissions=list(PortalPermission.values), contact=contact
    )
    return contact.email


def portal_demo_login() -> str:
    """The e-mail the demo's client portal is signed in with ("" when none)."""
    contact = ContactPerson.objects.filter(portal_enabled=True).order_by("customer_id", "id").first()
    return contact.email if contact is not None else ""
