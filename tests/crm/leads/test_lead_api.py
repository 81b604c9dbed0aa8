"""/api/v1/leads/: the contract fields, filters and ordering, validation in Polish,
converting (once, linking an existing customer by NIP or e-mail), ranks, and another
company's lead is a 404."""

from __future__ import annotations

from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.contacts.models import ContactPerson, Customer
from crm.leads.models import Lead, LeadStatus, LeadStatusCode
from crm.sales.models import Deal
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.leads.factories import lead_make

LEAD_FIELDS = {
    "id",
    "name",
    "company_name",
    "email",
    "phone",
    "tax_id",
    "source",
    "status",
    "owner",
    "value",
    "converted_customer",
    "created_at",
}


def _post(client, body, url="/api/v1/leads/"):
    return client.post(url, body, content_type="application/json")


def test_creating_a_lead_gives_the_contract_fields_and_the_first_open_status(company_a, szef, api_szef):
    response = _post(
        api_szef,
        {"name": "Anna Nowak", "company_name": "Nowak Trans", "email": "Anna@Nowak.test", "value": "12000.00"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= LEAD_FIELDS
    assert (body["email"], body["value"], body["converted_customer"]) == ("anna@nowak.test", "12000.00", None)
    with schema_context(company_a.schema_name):
        lead = Lead.objects.get(pk=body["id"])
        assert lead.status.code == "" and lead.status == LeadStatus.objects.filter(code="").first()
        assert lead.owner == szef
        assert ActivityEntry.objects.filter(code="lead.created", object_id=str(lead.pk)).exists()


def test_bad_input_is_refused_in_polish_and_nothing_is_saved(company_a, api_szef):
    response = _post(api_szef, {"name": " ", "value": "-5", "tax_id": "1234567890", "email": "nie-email"})

    assert response.status_code == 400
    errors = response.json()
    assert errors["value"] == ["Wartość nie może być ujemna."]
    assert "name" in errors and "email" in errors
    with schema_context(company_a.schema_name):
        assert not Lead.objects.exists()


def test_a_bad_nip_is_explained(company_a, api_szef):
    response = _post(api_szef, {"name": "Anna", "tax_id": "1234567890"})

    assert response.status_code == 400
    assert "NIP" in response.json()["tax_id"][0]


def test_the_lost_status_needs_a_reason(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        lead = lead_make(actor=szef)
        lost = LeadStatus.objects.get(code=LeadStatusCode.LOST)

    refused = api_szef.patch(f"/api/v1/leads/{lead.pk}/", {"status": lost.pk}, content_type="application/json")
    accepted = api_szef.patch(
        f"/api/v1/leads/{lead.pk}/", {"status": lost.pk, "lost_reason": "Za drogo"}, content_type="application/json"
    )

    assert refused.status_code == 400
    assert refused.json()["lost_reason"] == ["Podaj powód utraty leada."]
    assert accepted.status_code == 200 and accepted.json()["lost_reason"] == "Za drogo"


def test_the_converted_status_cannot_be_set_by_hand(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        lead = lead_make(actor=szef)
        converted = LeadStatus.objects.get(code=LeadStatusCode.CONVERTED)

    response = api_szef.patch(f"/api/v1/leads/{lead.pk}/", {"status": converted.pk}, content_type="application/json")

    assert response.status_code == 400
    assert "konwersja" in response.json()["status"][0]


def test_the_list_filters_searches_and_sorts(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        second = LeadStatus.objects.filter(code="").order_by("position")[1]
        lead_make(actor=szef, name="Zenon Łódzki", company_name="", email="", value=5)
        lead_make(actor=szef, name="Adam Bąk", company_name="Bąk i S-ka", email="", value=50, status=second)

    by_name = api_szef.get("/api/v1/leads/", {"ordering": "name"}).json()
    by_value = api_szef.get("/api/v1/leads/", {"ordering": "-value"}).json()
    searched = api_szef.get("/api/v1/leads/", {"search": "lodzki"}).json()
    by_status = api_szef.get("/api/v1/leads/", {"status": second.pk}).json()
    bad = api_szef.get("/api/v1/leads/", {"ordering": "hasło"})

    assert [row["name"] for row in by_name["results"]] == ["Adam Bąk", "Zenon Łódzki"]
    assert [row["name"] for row in by_value["results"]] == ["Adam Bąk", "Zenon Łódzki"]
    assert [row["name"] for row in searched["results"]] == ["Zenon Łódzki"]
    assert [row["name"] for row in by_status["results"]] == ["Adam Bąk"]
    assert bad.status_code == 400 and "ordering" in bad.json()


def test_converting_creates_the_customer_the_contact_and_a_deal(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        lead = lead_make(actor=szef, phone="600100200", position="Prezes", value=9000)

    response = _post(api_szef, {"create_deal": True}, url=f"/api/v1/leads/{lead.pk}/convert/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"customer", "contact", "deal"}
    with schema_context(company_a.schema_name):
        customer = Customer.objects.get(pk=body["customer"])
        contact = ContactPerson.objects.get(pk=body["contact"])
        deal = Deal.objects.get(pk=body["deal"])
        lead.refresh_from_db()
        assert (customer.name, customer.kind, customer.email) == ("Kowalski Sp. z o.o.", "company", "jan@kowalski.test")
        assert (contact.customer, contact.name, contact.position) == (customer, "Jan Kowalski", "Prezes")
        assert (deal.customer, deal.value) == (customer, 9000)
        assert lead.status.code == LeadStatusCode.CONVERTED and lead.converted_customer == customer
    shown = api_szef.get(f"/api/v1/leads/{lead.pk}/").json()
    assert shown["converted_customer"] == customer.pk


def test_converting_a_person_lead_without_a_deal_gives_no_contact_and_no_deal(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        lead = lead_make(actor=szef, company_name="")

    body = _post(api_szef, {}, url=f"/api/v1/leads/{lead.pk}/convert/").json()

    assert body["contact"] is None and body["deal"] is None
    with schema_context(company_a.schema_name):
        assert Customer.objects.get(pk=body["customer"]).kind == "person"
        assert not Deal.objects.exists()


def test_converting_links_an_existing_customer_found_by_nip_or_email(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        by_nip = CustomerFactory(name="Firma z NIP", tax_id="5260001246", email="")
        by_email = CustomerFactory(name="Firma z e-mailem", email="biuro@firma.test")
        nip_lead = lead_make(actor=szef, tax_id="526-000-12-46", email="")
        email_lead = lead_make(actor=szef, email="BIURO@firma.test")
        before = Customer.objects.count()

    first = _post(api_szef, {}, url=f"/api/v1/leads/{nip_lead.pk}/convert/").json()
    second = _post(api_szef, {}, url=f"/api/v1/leads/{email_lead.pk}/convert/").json()

    assert first["customer"] == by_nip.pk and second["customer"] == by_email.pk
    with schema_context(company_a.schema_name):
        assert Customer.objects.count() == before


def test_converting_twice_is_refused_and_changes_nothing(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        lead = lead_make(actor=szef)
    _post(api_szef, {}, url=f"/api/v1/leads/{lead.pk}/convert/")
    with schema_context(company_a.schema_name):
        customers = Customer.objects.count()

    again = _post(api_szef, {"create_deal": True}, url=f"/api/v1/leads/{lead.pk}/convert/")

    assert again.status_code == 400
    assert "już skonwertowany" in again.json()["detail"]
    with schema_context(company_a.schema_name):
        assert Customer.objects.count() == customers and not Deal.objects.exists()


def test_a_bad_deal_value_converts_nothing(company_a, szef, api_szef):
    with schema_context(company_a.schema_name):
        lead = lead_make(actor=szef)

    response = _post(api_szef, {"create_deal": True, "deal_value": "-1"}, url=f"/api/v1/leads/{lead.pk}/convert/")

    assert response.status_code == 400 and "deal_value" in response.json()
    with schema_context(company_a.schema_name):
        assert not Customer.objects.exists()
        assert Lead.objects.get(pk=lead.pk).converted_at is None


def test_lead_statuses_are_listed_with_colours_and_the_locked_codes(api_szef):
    rows = api_szef.get("/api/v1/lead-statuses/").json()["results"]

    assert {row["code"] for row in rows if row["locked"]} == {"converted", "lost"}
    assert all(row["color"].startswith("#") for row in rows)


def test_another_companys_lead_is_not_found(company_a, szef, api_outsider):
    with schema_context(company_a.schema_name):
        lead = lead_make(actor=szef)

    for method, url in (
        ("get", f"/api/v1/leads/{lead.pk}/"),
        ("patch", f"/api/v1/leads/{lead.pk}/"),
        ("delete", f"/api/v1/leads/{lead.pk}/"),
        ("post", f"/api/v1/leads/{lead.pk}/convert/"),
    ):
        response = getattr(api_outsider, method)(url, {}, content_type="application/json")
        assert response.status_code == 404, (method, url)
    assert api_outsider.get("/api/v1/leads/").json()["count"] == 0
    with schema_context(company_a.schema_name):
        assert Lead.objects.get(pk=lead.pk).converted_at is None


def test_a_pracownik_cannot_change_or_convert_a_colleagues_lead(company_a, szef, api_pracownik):
    with schema_context(company_a.schema_name):
        lead = lead_make(actor=szef)

    seen = api_pracownik.get(f"/api/v1/leads/{lead.pk}/")
    change = api_pracownik.patch(f"/api/v1/leads/{lead.pk}/", {"name": "X"}, content_type="application/json")
    convert = _post(api_pracownik, {}, url=f"/api/v1/leads/{lead.pk}/convert/")
    delete = api_pracownik.delete(f"/api/v1/leads/{lead.pk}/")

    assert seen.status_code == 200
    assert change.status_code == convert.status_code == delete.status_code == 403
    with schema_context(company_a.schema_name):
        assert Lead.objects.get(pk=lead.pk).name == "Jan Kowalski"
        assert not Customer.objects.exists()


def test_a_kierownik_converts_a_colleagues_lead(company_a, pracownik, api_kierownik):
    with schema_context(company_a.schema_name):
        lead = lead_make(actor=pracownik)

    response = _post(api_kierownik, {}, url=f"/api/v1/leads/{lead.pk}/convert/")

    assert response.status_code == 200


def test_a_pracownik_converts_his_own_lead(company_a, pracownik, api_pracownik):
    with schema_context(company_a.schema_name):
        lead = lead_make(actor=pracownik)

    response = _post(api_pracownik, {"create_deal": True}, url=f"/api/v1/leads/{lead.pk}/convert/")

    assert response.status_code == 200, response.content
    with schema_context(company_a.schema_name):
        assert Customer.objects.get(pk=response.json()["customer"]).owner == pracownik


def test_a_restricted_pracownik_sees_only_his_own_leads(
    company_a, szef, restricted_pracownik, api_restricted_pracownik
):
    with schema_context(company_a.schema_name):
        colleagues = lead_make(actor=szef, name="Lead Szefa")
        lead_make(actor=restricted_pracownik, name="Mój lead")

    listed = api_restricted_pracownik.get("/api/v1/leads/").json()

    assert [row["name"] for row in listed["results"]] == ["Mój lead"]
    assert api_restricted_pracownik.get(f"/api/v1/leads/{colleagues.pk}/").status_code == 404


def test_converting_moves_the_leads_notes_files_and_tasks_to_the_customer(company_a, szef, api_szef):
    from django.core.files.base import ContentFile

    from crm.notes.models import Attachment, Note
    from crm.tasks.models import Task

    with schema_context(company_a.schema_name):
        lead = lead_make(actor=szef)
        note = Note.objects.create(lead=lead, body="Dzwonił w sprawie okien", author=szef)
        attachment = Attachment(lead=lead, name="oferta.txt", content_type="text/plain", size=3, uploaded_by=szef)
        attachment.file.save("oferta.txt", ContentFile(b"abc"), save=False)
        attachment.save()
        task = Task.objects.create(title="Oddzwonić", lead=lead, created_by=szef, assignee=szef)

    body = _post(api_szef, {"create_deal": True}, url=f"/api/v1/leads/{lead.pk}/convert/").json()

    with schema_context(company_a.schema_name):
        note.refresh_from_db()
        attachment.refresh_from_db()
        task.refresh_from_db()
        assert (note.lead_id, note.customer_id, note.deal_id) == (None, body["customer"], body["deal"])
        assert (attachment.lead_id, attachment.customer_id) == (None, body["customer"])
        assert (task.lead_id, task.customer_id, task.deal_id) == (None, body["customer"], body["deal"])
