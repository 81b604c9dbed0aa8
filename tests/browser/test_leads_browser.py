"""Converting a lead in a real browser: the card's form, with a deal, lands on the new
customer's card; the lead then shows as converted and offers no second conversion."""

from __future__ import annotations

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.support.browser import sign_in


def test_converting_a_lead_with_a_deal_opens_the_new_customer(committed, page, live_url):
    from crm.accounts.models import User
    from crm.contacts.models import Customer
    from crm.leads.models import Lead
    from crm.leads.services import lead_create
    from crm.sales.models import Deal

    with schema_context(committed.a.schema_name):
        szef = User.objects.get(email="szef@alfa.test")
        lead = lead_create(
            actor=szef, name="Irena Sowa", company_name="Sowa Meble", email="irena@sowa-meble.test", value=4200
        )
    sign_in(page, live_url)
    page.goto(live_url("alfa", f"/leads/{lead.pk}/"))

    page.get_by_label("Utwórz szansę sprzedaży").check()
    page.get_by_label("Nazwa szansy sprzedaży").fill("Meble do biura Sowa")
    page.get_by_test_id("lead-convert").click()

    page.wait_for_url("**/customers/*/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sowa Meble")
    with schema_context(committed.a.schema_name):
        customer = Customer.objects.get(name="Sowa Meble")
        assert Deal.objects.get(customer=customer).name == "Meble do biura Sowa"
        assert Lead.objects.get(pk=lead.pk).converted_customer == customer
    page.goto(live_url("alfa", f"/leads/{lead.pk}/"))
    expect(page.get_by_test_id("lead-converted")).to_contain_text("Sowa Meble")
    expect(page.get_by_test_id("lead-convert")).to_have_count(0)
