from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from crm.categories.models import ContactGroup, ContactSource, CustomerStatus
from crm.contacts.models import ContactPerson, Customer
from crm.notes.models import TimelineEvent
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory, deal_make, task_make
from tests.crm.notes.factories import NoteFactory

pytestmark = pytest.mark.django_db

VALID = {
    "kind": "company",
    "name": "Przedsiębiorstwo Żuraw Sp. z o.o.",
    "tax_id": "526-000-12-46",
    "email": "Biuro@Zuraw.pl",
    "phone": "+48 600 100 200",
    "city": "Łódź",
    "country": "Polska",
    "tags": "VIP, hurt",
}


def test_szef_creates_a_customer_through_the_form(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        source = ContactSource.objects.get(name="Polecenie")
        status = CustomerStatus.objects.get(name="Nowy")
        group = ContactGroup.objects.get(name="Klient VIP")
    client_a.login_as(szef)
    response = client_a.post(
        "/customers/new/", {**VALID, "source": source.pk, "status": status.pk, "groups": [group.pk], "owner": szef.pk}
    )
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        customer = Customer.objects.get()
        assert response["Location"] == f"/customers/{customer.pk}/"
        assert customer.tax_id == "5260001246"
        assert customer.email == "biuro@zuraw.pl"
        assert customer.tags == ["vip", "hurt"]
        assert customer.source == source
        assert list(customer.groups.all()) == [group]
        assert customer.owner == szef
        assert "lodz" in customer.search_text  # the city is searched too (issue 13)
        assert TimelineEvent.objects.filter(customer=customer, kind="customer_created").exists()


def test_new_customer_form_offers_the_acquisition_sources(client_a, szef):
    page = client_a.login_as(szef).get("/customers/new/").content.decode()
    assert '<select name="source"' in page
    assert "Polecenie" in page
    assert "Targi" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "Podaj nazwę klienta."),
        ({"tax_id": "5260001247"}, "tax_id", "sumę kontrolną"),
        ({"email": "to-nie-email"}, "email", "adres e-mail"),
        ({"website": "javascript:alert(1)"}, "website", "adres URL"),
    ],
)
def test_invalid_customer_is_not_saved_and_the_error_is_shown_next_to_the_field(
    client_a, szef, company_a, changes, field, message
):
    client_a.login_as(szef)
    response = client_a.post("/customers/new/", {**VALID, **changes})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html or f"id_{field}-error" in html
    assert message in html
    with schema_context(company_a.schema_name):
        assert not Customer.objects.exists()


def test_duplicate_nip_or_email_is_warned_about_and_needs_confirmation(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        CustomerFactory(name="Istniejący", tax_id="5260001246", email="inny@firma.pl", owner=szef)
    client_a.login_as(szef)

    first = client_a.post("/customers/new/", {**VALID, "email": "nowy@zuraw.pl"})
    assert first.status_code == 400
    assert "Możliwy duplikat" in first.content.decode()
    assert "Istniejący" in first.content.decode()
    with schema_context(company_a.schema_name):
        assert Customer.objects.count() == 1

    confirmed = client_a.post("/customers/new/", {**VALID, "email": "nowy@zuraw.pl", "allow_duplicate": "on"})
    assert confirmed.status_code == 302
    with schema_context(company_a.schema_name):
        assert Customer.objects.count() == 2


def test_duplicate_check_endpoint_warns_while_typing(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        CustomerFactory(name="Ta Sama Firma", email="kontakt@same.pl", owner=szef)
    client_a.login_as(szef)
    hit = client_a.get("/customers/duplicates/", {"email": "KONTAKT@same.pl"}, HTTP_HX_REQUEST="true")
    miss = client_a.get("/customers/duplicates/", {"email": "inny@same.pl"}, HTTP_HX_REQUEST="true")
    assert "Ta Sama Firma" in hit.content.decode()
    assert "Możliwy duplikat" not in miss.content.decode()


def test_editing_a_customer_records_the_change_on_the_timeline(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(name="Stara Nazwa", owner=szef, phone="+48 111 222 333")
    client_a.login_as(szef)
    form = client_a.get(f"/customers/{customer.pk}/edit/")
    assert form.status_code == 200
    response = client_a.post(
        f"/customers/{customer.pk}/edit/", {**VALID, "name": "Nowa Nazwa", "tax_id": "", "owner": szef.pk}
    )
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        customer.refresh_from_db()
        assert customer.name == "Nowa Nazwa"
        event = TimelineEvent.objects.filter(customer=customer, kind="customer_changed").get()
        assert "Stara Nazwa → Nowa Nazwa" in event.message


def test_invalid_edit_keeps_the_stored_customer_unchanged(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(name="Bez zmian", owner=szef)
    client_a.login_as(szef)
    response = client_a.post(f"/customers/{customer.pk}/edit/", {**VALID, "name": "", "tax_id": "123"})
    assert response.status_code == 400
    assert "NIP musi mieć 10 cyfr." in response.content.decode()
    with schema_context(company_a.schema_name):
        customer.refresh_from_db()
        assert customer.name == "Bez zmian"


def test_szef_deletes_a_customer(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
    client_a.login_as(szef)
    assert client_a.get(f"/customers/{customer.pk}/delete/").status_code == 200
    response = client_a.post(f"/customers/{customer.pk}/delete/")
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        assert not Customer.objects.exists()


def test_customer_with_deals_cannot_be_deleted_and_says_why(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
        deal_make(customer, owner=szef)
    client_a.login_as(szef)
    response = client_a.post(f"/customers/{customer.pk}/delete/")
    assert response.status_code == 400
    assert "szanse sprzedaży" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert Customer.objects.filter(pk=customer.pk).exists()


def test_pracownik_cannot_delete_a_customer_owned_by_someone_else(client_a, szef, pracownik, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
        own = CustomerFactory(owner=pracownik)
    client_a.login_as(pracownik)
    assert client_a.post(f"/customers/{customer.pk}/delete/").status_code == 403
    assert client_a.post(f"/customers/{own.pk}/delete/").status_code == 302
    with schema_context(company_a.schema_name):
        assert list(Customer.objects.values_list("pk", flat=True)) == [customer.pk]


def test_new_group_is_created_and_attached_from_the_customer_card(client_a, pracownik, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=pracownik)
    client_a.login_as(pracownik)
    response = client_a.post(
        f"/customers/{customer.pk}/groups/new/",
        {"name": "Klient Platynowy", "color": "#aabbcc"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Klient Platynowy" in response.content.decode()
    assert 'data-color="#aabbcc"' in response.content.decode()
    with schema_context(company_a.schema_name):
        group = ContactGroup.objects.get(name="Klient Platynowy")
        assert group.color == "#aabbcc"
        assert list(customer.groups.all()) == [group]


def test_group_with_a_bad_colour_or_no_name_is_refused(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
        before = ContactGroup.objects.count()
    client_a.login_as(szef)
    bad_colour = client_a.post(
        f"/customers/{customer.pk}/groups/new/", {"name": "X", "color": "red"}, HTTP_HX_REQUEST="true"
    )
    no_name = client_a.post(
        f"/customers/{customer.pk}/groups/new/", {"name": " ", "color": "#112233"}, HTTP_HX_REQUEST="true"
    )
    assert bad_colour.status_code == 400
    assert "#RRGGBB" in bad_colour.content.decode()
    assert no_name.status_code == 400
    assert "Podaj nazwę grupy." in no_name.content.decode()
    with schema_context(company_a.schema_name):
        assert ContactGroup.objects.count() == before


def test_existing_groups_are_attached_and_detached_from_the_card(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
        vip, gold = ContactGroup.objects.get(name="Klient VIP"), ContactGroup.objects.get(name="Klient Złoty")
        customer.groups.add(vip)
    client_a.login_as(szef)
    response = client_a.post(f"/customers/{customer.pk}/groups/", {"groups": [gold.pk]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    with schema_context(company_a.schema_name):
        assert list(customer.groups.all()) == [gold]


def test_contact_person_is_added_edited_and_removed_on_the_card(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
    client_a.login_as(szef)
    added = client_a.post(
        f"/customers/{customer.pk}/contacts/new/",
        {"name": "Józef Wiśniewski", "position": "Prezes", "email": "Jozef@Firma.pl", "phone": "600"},
        HTTP_HX_REQUEST="true",
    )
    assert added.status_code == 200
    assert "Józef Wiśniewski" in added.content.decode()
    with schema_context(company_a.schema_name):
        contact = ContactPerson.objects.get()
        assert contact.email == "jozef@firma.pl"
    edited = client_a.post(
        f"/customers/contacts/{contact.pk}/edit/", {"name": "Józef W.", "position": "Prezes zarządu"}
    )
    assert edited.status_code == 302
    removed = client_a.post(f"/customers/contacts/{contact.pk}/delete/", HTTP_HX_REQUEST="true")
    assert removed.status_code == 200
    with schema_context(company_a.schema_name):
        assert not ContactPerson.objects.exists()
        kinds = set(TimelineEvent.objects.filter(customer=customer).values_list("kind", flat=True))
        assert {"contact_added", "contact_removed"} <= kinds


def test_contact_person_without_a_name_or_with_a_bad_email_is_refused(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
    client_a.login_as(szef)
    response = client_a.post(
        f"/customers/{customer.pk}/contacts/new/", {"name": "", "email": "zly"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Podaj imię i nazwisko osoby kontaktowej." in html
    assert "adres e-mail" in html
    with schema_context(company_a.schema_name):
        assert not ContactPerson.objects.exists()


def test_person_customer_cannot_have_contact_persons(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        person = CustomerFactory(owner=szef, kind="person", name="Jan Nowak")
    client_a.login_as(szef)
    response = client_a.post(f"/customers/{person.pk}/contacts/new/", {"name": "Ktoś"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "tylko do klienta będącego firmą" in response.content.decode()


def test_customer_card_shows_every_tab(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef, name="Kartoteka Sp. z o.o.")
        ContactPersonFactory(customer=customer, name="Anna Kontaktowa")
        deal = deal_make(customer, owner=szef, name="Wdrożenie CRM")
        task_make(customer=customer, assignee=szef, title="Zadzwonić do prezesa")
        NoteFactory(customer=customer, body="Notatka na osi czasu", author=szef)
        NoteFactory(customer=customer, deal=deal, body="Notatka do szansy", author=szef)
        TimelineEvent.objects.create(customer=customer, deal=deal, kind="deal_stage_changed", message="Etap: Oferta")
    client_a.login_as(szef)
    pages = {
        tab: client_a.get(f"/customers/{customer.pk}/?tab={tab}")
        for tab in ("details", "contacts", "timeline", "sales", "tasks", "files")
    }
    assert all(r.status_code == 200 for r in pages.values())
    assert "Anna Kontaktowa" in pages["contacts"].content.decode()
    timeline = pages["timeline"].content.decode()
    for text in ("Notatka na osi czasu", "Notatka do szansy", "Etap: Oferta", "Wdrożenie CRM", "Zadzwonić do prezesa"):
        assert text in timeline
    assert f"/deals/{deal.pk}/" in pages["sales"].content.decode()
    assert "Zadzwonić do prezesa" in pages["tasks"].content.decode()
    assert f"/deals/new/?customer={customer.pk}" in pages["sales"].content.decode()
    assert f"/tasks/new/?customer={customer.pk}" in pages["tasks"].content.decode()


def test_htmx_tab_request_returns_only_the_tab(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
    client_a.login_as(szef)
    response = client_a.get(
        f"/customers/{customer.pk}/?tab=timeline", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="customer-tab"
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()


def test_timeline_query_count_does_not_grow_with_history(client_a, szef, company_a, django_assert_max_num_queries):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
        for i in range(60):
            NoteFactory(customer=customer, body=f"n{i}", author=szef)
            TimelineEvent.objects.create(customer=customer, kind="x", message=f"e{i}", actor=szef)
        for _i in range(15):
            deal = deal_make(customer, owner=szef)
            task = task_make(customer=customer, assignee=szef, deal=deal)
            NoteFactory(customer=customer, deal=deal, task=task, body="z szansą", author=szef)
            TimelineEvent.objects.create(customer=customer, deal=deal, task=task, kind="x", message="z zadaniem")
    client_a.login_as(szef)
    with django_assert_max_num_queries(40):
        response = client_a.get(f"/customers/{customer.pk}/?tab=timeline")
    assert response.status_code == 200
    assert "Pokaż starsze" in response.content.decode()


def test_follow_toggles(client_a, pracownik, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=pracownik)
    client_a.login_as(pracownik)
    client_a.post(f"/customers/{customer.pk}/follow/")
    with schema_context(company_a.schema_name):
        assert list(customer.followers.all()) == [pracownik]
    client_a.post(f"/customers/{customer.pk}/follow/", HTTP_HX_REQUEST="true")
    with schema_context(company_a.schema_name):
        assert not customer.followers.exists()


def test_mark_contacted_today_sets_the_last_contact_date(client_a, pracownik, company_a):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=pracownik)
    client_a.login_as(pracownik)
    assert client_a.post(f"/customers/{customer.pk}/contacted/").status_code == 302
    with schema_context(company_a.schema_name):
        customer.refresh_from_db()
        assert customer.last_contact_at is not None


def test_anonymous_visitor_is_sent_to_login(client_a):
    response = client_a.get("/customers/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


OUTSIDER_URLS = [
    ("get", "/customers/{c}/"),
    ("get", "/customers/{c}/?tab=timeline"),
    ("get", "/customers/{c}/edit/"),
    ("post", "/customers/{c}/edit/"),
    ("get", "/customers/{c}/delete/"),
    ("post", "/customers/{c}/delete/"),
    ("post", "/customers/{c}/groups/"),
    ("post", "/customers/{c}/groups/new/"),
    ("post", "/customers/{c}/follow/"),
    ("post", "/customers/{c}/contacted/"),
    ("post", "/customers/{c}/contacts/new/"),
    ("get", "/customers/contacts/{p}/edit/"),
    ("post", "/customers/contacts/{p}/edit/"),
    ("post", "/customers/contacts/{p}/delete/"),
]


@pytest.mark.parametrize(("method", "url"), OUTSIDER_URLS)
def test_outsider_gets_404_for_every_customer_page(client_b, outsider, szef, company_a, method, url):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
        contact = ContactPersonFactory(customer=customer)
    client_b.login_as(outsider)
    response = getattr(client_b, method)(
        url.format(c=customer.pk, p=contact.pk), {"name": "x", "color": "#000000"} if method == "post" else None
    )
    assert response.status_code == 404
    with schema_context(company_a.schema_name):
        assert Customer.objects.filter(pk=customer.pk).exists()
        assert ContactPerson.objects.filter(pk=contact.pk).exists()


def test_outsider_lists_see_nothing_of_company_a(client_b, outsider, szef, company_a):
    with schema_context(company_a.schema_name):
        CustomerFactory(owner=szef, name="Tajny Klient Alfy")
    client_b.login_as(outsider)
    for url in (
        "/customers/",
        "/customers/?q=tajny",
        "/customers/export/?format=csv",
        "/api/v1/customers/?search=tajny",
    ):
        response = client_b.get(url)
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert "Tajny Klient Alfy" not in body.decode("utf-8")
