"""In a real browser: ticking customers on the list and assigning them at once, merging a
duplicate found by the edit form's warning, and restoring deleted customers from the trash."""

from __future__ import annotations

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.support.browser import sign_in


def test_szef_ticks_the_whole_page_and_assigns_an_owner(committed, page, live_url):
    from crm.accounts.models import User
    from crm.contacts.models import Customer

    with schema_context(committed.a.schema_name):
        pracownik = User.objects.get(email="pracownik@alfa.test")
        for n in range(3):
            Customer.objects.create(name=f"Hurtownia {n}")
    sign_in(page, live_url)
    page.goto(live_url("alfa", "/customers/"))
    expect(page.get_by_test_id("bulk-bar")).to_be_hidden()
    page.get_by_test_id("bulk-all").check()
    expect(page.get_by_test_id("bulk-bar")).to_be_visible()
    expect(page.get_by_test_id("bulk-count")).to_have_text("Zaznaczono: 3")
    page.get_by_test_id("bulk-action").select_option("assign")
    page.get_by_test_id("bulk-owner").select_option(str(pracownik.pk))
    page.get_by_test_id("bulk-submit").click()
    expect(page.get_by_text("Zmieniono rekordów: 3.")).to_be_visible()
    with schema_context(committed.a.schema_name):
        assert set(Customer.objects.values_list("owner_id", flat=True)) == {pracownik.pk}


def test_a_duplicate_found_while_editing_is_merged_into_the_customer(committed, page, live_url):
    from crm.contacts.models import Customer
    from crm.sales.models import Deal
    from crm.sales.services import deal_create

    with schema_context(committed.a.schema_name):
        survivor = Customer.objects.create(name="Śrubex", phone="+48 600 100 200")
        other = Customer.objects.create(name="Śrubex Sp. z o.o.", tax_id="5260250274", email="biuro@srubex.pl")
        deal = deal_create(actor=None, name="Śruby na rok", customer=other)
    sign_in(page, live_url)
    page.goto(live_url("alfa", f"/customers/{survivor.pk}/edit/"))
    page.locator("input[name=tax_id]").fill("526-025-02-74")
    page.get_by_test_id("duplicate-merge").click()
    page.wait_for_url(f"**/customers/{survivor.pk}/merge/?other={other.pk}")
    page.locator("#f_name_b").check()
    page.get_by_test_id("merge-submit").click()
    page.wait_for_url(live_url("alfa", f"/customers/{survivor.pk}/"))
    expect(page.get_by_test_id("customer-name")).to_contain_text("Śrubex Sp. z o.o.")
    with schema_context(committed.a.schema_name):
        assert Deal.objects.get(pk=deal.pk).customer_id == survivor.pk
        merged = Customer.objects.get(pk=survivor.pk)
        assert (merged.tax_id, merged.email, merged.phone) == ("5260250274", "biuro@srubex.pl", "+48 600 100 200")
    page.goto(live_url("alfa", f"/customers/{other.pk}/"))
    page.wait_for_url(live_url("alfa", f"/customers/{survivor.pk}/"))


def test_customers_deleted_in_bulk_come_back_from_the_trash(committed, page, live_url):
    from crm.contacts.models import ContactPerson, Customer

    with schema_context(committed.a.schema_name):
        customer = Customer.objects.create(name="Kwiaciarnia Róża")
        ContactPerson.objects.create(customer=customer, name="Róża Kwiatek")
    sign_in(page, live_url)
    page.goto(live_url("alfa", "/customers/"))
    page.get_by_label("Zaznacz: Kwiaciarnia Róża").check()
    page.get_by_test_id("bulk-action").select_option("delete")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("bulk-submit").click()
    expect(page.get_by_text("Zmieniono rekordów: 1.")).to_be_visible()
    with schema_context(committed.a.schema_name):
        assert not Customer.objects.filter(pk=customer.pk).exists()

    page.goto(live_url("alfa", "/settings/trash/"))
    row = page.get_by_role("row").filter(has_text="Kwiaciarnia Róża")
    row.get_by_role("button", name="Przywróć").click()
    expect(page.get_by_role("row").filter(has_text="Kwiaciarnia Róża")).to_have_count(0)
    with schema_context(committed.a.schema_name):
        assert Customer.objects.filter(pk=customer.pk).exists()
        assert ContactPerson.objects.filter(customer_id=customer.pk, name="Róża Kwiatek").exists()
    page.goto(live_url("alfa", f"/customers/{customer.pk}/"))
    expect(page.get_by_test_id("customer-name")).to_contain_text("Kwiaciarnia Róża")


def test_szef_filters_the_list_selects_every_matching_customer_and_assigns_them_all(committed, page, live_url):
    from crm.accounts.models import User
    from crm.categories.models import CustomerStatus
    from crm.contacts.models import Customer

    with schema_context(committed.a.schema_name):
        pracownik = User.objects.get(email="pracownik@alfa.test")
        hurt = CustomerStatus.objects.create(name="Hurt")
        wanted = [Customer.objects.create(name=f"Hurtownia {n:02d}", status=hurt).pk for n in range(30)]
        others = [Customer.objects.create(name=f"Sklep {n}").pk for n in range(5)]
    sign_in(page, live_url)
    page.goto(live_url("alfa", "/customers/"))
    expect(page.get_by_test_id("customer-count")).to_contain_text("35 klientów")
    page.locator("#f-status").select_option(str(hurt.pk))
    expect(page.get_by_test_id("customer-count")).to_contain_text("30 klientów")  # 25 on the first page

    page.get_by_test_id("bulk-all").check()
    expect(page.get_by_test_id("bulk-count")).to_have_text("Zaznaczono: 25")
    page.get_by_test_id("bulk-select-matching").click()
    expect(page.get_by_test_id("bulk-count")).to_have_text("Zaznaczono wszystkie pasujące do filtrów: 30")
    expect(page.get_by_test_id("bulk-select-matching")).to_be_hidden()
    page.get_by_test_id("bulk-action").select_option("assign")
    page.get_by_test_id("bulk-owner").select_option(str(pracownik.pk))
    page.get_by_test_id("bulk-submit").click()
    expect(page.get_by_text("Zmieniono rekordów: 30.")).to_be_visible()

    with schema_context(committed.a.schema_name):
        assert set(Customer.objects.filter(owner=pracownik).values_list("pk", flat=True)) == set(wanted)
        assert not Customer.objects.filter(pk__in=others, owner=pracownik).exists()
    page.goto(live_url("alfa", f"/customers/?owner={pracownik.pk}&page=2"))
    expect(page.get_by_test_id("customer-count")).to_contain_text("30 klientów")
    expect(page.get_by_role("link", name="Hurtownia 29")).to_be_visible()  # the second page changed too
