"""Every URL of the client portal, discovered from config.urls_tenant (the `portal:`
namespace), with the ids of real records of one contact's customer, requested by the
wrong people: an anonymous visitor (→ the portal's login), a contact of another customer
of the same company and a contact of another company (→ 404), a contact without the
section's permission (→ 404) and a signed-in staff user (not a portal session → the
portal's login). The other way round (a portal session on staff pages and the API) is in
test_url_isolation.py."""

from __future__ import annotations

from typing import Any

import pytest
from django_tenants.utils import schema_context

from crm.contacts.models import ContactPerson, PortalPermission
from tests.crm.portal.conftest import (
    ALL,
    _media,  # noqa: F401  (autouse: files in a temporary MEDIA_ROOT)
    contact_with_portal,
    records_for,
    sign_in,
)
from tests.security.urlmap import Endpoint, company_endpoints

PORTAL = [e for e in company_endpoints() if e.name.startswith("portal:")]
# Pages for people who are not signed in (the sign-in itself and its 2FA step, the password
# links, the company's colour stylesheet and logo the login page uses too).
SIGN_IN = {
    "portal:logo",
    "portal:login",
    "portal:login_code",
    "portal:logout",
    "portal:password_reset",
    "portal:password_set",
    "portal:brand_css",
}
# URL parameters naming a record inside the section's record (ids of records_for).
INNER = {"attachment_pk": "attachment", "file_pk": "shared_file", "message_pk": "message"}
# The record and the permission behind the first word of a URL name ("offer_accept" -> offer).
KINDS = {
    "invoice": ("invoice", PortalPermission.INVOICES),
    "offer": ("offer", PortalPermission.OFFERS),
    "contract": ("contract", PortalPermission.CONTRACTS),
    "project": ("project", PortalPermission.PROJECTS),
    "ticket": ("ticket", PortalPermission.TICKETS),
    "kb": ("article", PortalPermission.KB),
}


def _kind(endpoint: Endpoint) -> tuple[str, str] | None:
    return KINDS.get(endpoint.name.split(":", 1)[1].split("_", 1)[0])


def _url(endpoint: Endpoint, ids: dict[str, int]) -> str:
    kind = _kind(endpoint)
    values = {}
    for name in endpoint.params:
        if name in INNER:
            values[name] = ids[INNER[name]]
        else:
            assert kind is not None, f"{endpoint}: no record kind for its {name}"
            values[name] = ids[kind[0]]
    return endpoint.template.format(**values)


@pytest.fixture
def alfa(company_a: Any, szef: Any, client_a: Any) -> dict[str, int]:
    client_a.raise_request_exception = False
    owner = contact_with_portal(company_a, email="owner@klient.test")
    return records_for(company_a, owner, szef)


def _guarded() -> list[Endpoint]:
    return [e for e in PORTAL if e.name not in SIGN_IN]


def test_discovery_finds_every_section_of_the_portal():
    names = {e.name for e in PORTAL}
    assert {"portal:home", "portal:login", "portal:invoice_pdf", "portal:offer_accept", "portal:ticket_reply"} <= names
    assert {"portal:project_file", "portal:project_message", "portal:project_message_file"} <= names
    assert {"portal:twofa_setup", "portal:twofa_disable"} <= names
    assert {kind for e in PORTAL if (kind := _kind(e))} == set(KINDS.values())
    assert sum(e.has_object_ids for e in PORTAL) >= 10


def test_the_owner_reaches_every_record_url(alfa, client_a):
    sign_in(client_a, "owner@klient.test")
    problems = []
    for endpoint in _guarded():
        if endpoint.has_object_ids:
            response = client_a.get(_url(endpoint, alfa))
            if response.status_code not in (200, 405):
                problems.append(f"GET {endpoint}: {response.status_code}")
    assert not problems, "\n".join(problems)


def test_an_anonymous_visitor_is_sent_to_the_portal_login(alfa, client_a):
    problems = []
    for endpoint in _guarded():
        url = _url(endpoint, alfa)
        for method in ("get", "post"):
            response = getattr(client_a, method)(url)
            if response.status_code == 405:
                continue
            if response.status_code != 302 or not response["Location"].startswith("/portal/login/"):
                problems.append(f"{method.upper()} {url}: {response.status_code}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("who", ["another customer's contact", "another company's contact"])
def test_contacts_of_other_customers_get_not_found_on_every_record_url(
    who, alfa, client_a, client_b, company_a, company_b
):
    if who == "another company's contact":
        contact_with_portal(company_b, email="intruz@klient.test")
        client = sign_in(client_b, "intruz@klient.test")
        client.raise_request_exception = False
    else:
        contact_with_portal(company_a, email="intruz@klient.test")
        client = sign_in(client_a, "intruz@klient.test")
    problems = []
    for endpoint in _guarded():
        if not endpoint.has_object_ids:
            continue
        if who == "another customer's contact" and _kind(endpoint) == KINDS["kb"]:
            continue  # knowledge base articles are the company's, for every customer's contacts
        url = _url(endpoint, alfa)
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"name": "Intruz", "confirm": "on", "body": "x", "comment": "x"})
            if response.status_code not in (404, 405):
                problems.append(f"{method.upper()} {url}: {response.status_code}")
    assert not problems, "\n".join(problems)


def test_a_contact_without_a_permission_does_not_find_that_section(alfa, client_a, company_a):
    with schema_context(company_a.schema_name):
        customer = ContactPerson.objects.select_related("customer").get(email="owner@klient.test").customer
    problems = []
    for permission in ALL:
        contact = contact_with_portal(
            company_a,
            email=f"bez-{permission}@klient.test",
            permissions=[p for p in ALL if p != permission],
            customer=customer,
        )
        sign_in(client_a, contact.email)
        for endpoint in _guarded():
            kind = _kind(endpoint)
            if kind is None or kind[1] != permission:
                continue
            url = _url(endpoint, alfa)
            for method in ("get", "post"):
                status = getattr(client_a, method)(url).status_code
                if status not in (403, 404, 405):
                    problems.append(f"{method.upper()} {url} without {permission}: {status}")
    assert not problems, "\n".join(problems)


def test_a_staff_session_is_not_a_portal_session(alfa, client_a, szef):
    client_a.login_as(szef)
    problems = []
    for endpoint in _guarded():
        url = _url(endpoint, alfa)
        for method in ("get", "post"):
            response = getattr(client_a, method)(url)
            if response.status_code == 405:
                continue
            if response.status_code != 302 or not response["Location"].startswith("/portal/login/"):
                problems.append(f"{method.upper()} {url}: {response.status_code}")
    assert not problems, "\n".join(problems)
