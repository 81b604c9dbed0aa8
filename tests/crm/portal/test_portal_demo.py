from __future__ import annotations

from django_tenants.utils import schema_context

from crm.contacts.demo import customers_demo_seed
from crm.portal.demo import DEMO_PORTAL_PASSWORD, portal_demo_login, portal_demo_seed
from tests.crm.portal.conftest import sign_in


def test_the_demo_first_customers_contact_signs_in_to_the_portal(company_a, szef, client_a):
    with schema_context(company_a.schema_name):
        customers_demo_seed()
        email = portal_demo_seed()
        assert portal_demo_seed() == email  # run again: the same contact, nothing new
        assert portal_demo_login() == email == "t.zielinski@hurtbud-lodz.pl"  # printed by scripts/run.py
    sign_in(client_a, email, DEMO_PORTAL_PASSWORD)
    assert client_a.get("/portal/invoices/").status_code == 200
