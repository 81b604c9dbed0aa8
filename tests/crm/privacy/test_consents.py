"""Marketing consents of persons (RODO, issue 18): current state and history, from the
card, the contact person's page and the API; a change is a new entry, never an edit."""

from __future__ import annotations

from typing import Any

import pytest
from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.contacts.models import CustomerKind
from crm.privacy.models import ConsentEvent
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory


@pytest.fixture
def people(company_a: Any, pracownik: Any) -> dict[str, Any]:
    with schema_context(company_a.schema_name):
        person = CustomerFactory(name="Ewa Kot", kind=CustomerKind.PERSON, email="ewa@kot.test", owner=pracownik)
        firm = CustomerFactory(name="Firma Kot", kind=CustomerKind.COMPANY, owner=pracownik)
        contact = ContactPersonFactory(customer=firm, name="Adam Kot", email="adam@kot.test")
    return {"person": person, "firm": firm, "contact": contact}


def _change(client: Any, url: str, **data: Any) -> Any:
    body = {"channel": "email", "granted": True, "source": "web_form", **data}
    return client.post(url, body, format="json")


def test_a_change_creates_an_event_and_the_newest_is_the_current_state(api_pracownik, people, pracownik, company_a):
    url = f"/api/v1/customers/{people['person'].pk}/consents/"
    assert api_pracownik.get(url).json() == {"email": None, "phone": None, "history": []}

    first = _change(api_pracownik, url, given_at="2026-01-10T10:00:00+01:00", note="formularz na targach")
    second = _change(api_pracownik, url, granted=False, source="email")

    assert first.status_code == 201 and second.status_code == 201
    data = api_pracownik.get(url).json()
    assert data["email"]["granted"] is False and data["email"]["source"] == "email"
    assert data["email"]["recorded_by"]["id"] == pracownik.pk
    assert data["phone"] is None
    assert [(h["granted"], h["source"]) for h in data["history"]] == [(False, "email"), (True, "web_form")]
    assert data["history"][1]["note"] == "formularz na targach"
    with schema_context(company_a.schema_name):
        assert ConsentEvent.objects.count() == 2
        codes = list(ActivityEntry.objects.filter(code__startswith="consent.").values_list("code", flat=True))
    assert sorted(codes) == ["consent.email.granted", "consent.email.withdrawn"]


def test_a_consent_event_cannot_be_edited_in_place(people, company_a, szef):
    with schema_context(company_a.schema_name):
        event = ConsentEvent.objects.create(customer=people["person"], channel="phone", granted=True, source="phone")
        event.granted = False
        with pytest.raises(ValueError):
            event.save()
        assert ConsentEvent.objects.get().granted is True


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"channel": "sms"}, "channel"),
        ({"source": "telepatia"}, "source"),
        ({"granted": "może"}, "granted"),
        ({"given_at": "2999-01-01T00:00:00Z"}, "given_at"),
        ({"given_at": "wczoraj"}, "given_at"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_recorded(api_szef, people, company_a, data, field):
    response = _change(api_szef, f"/api/v1/customers/{people['person'].pk}/consents/", **data)

    assert response.status_code == 400
    assert field in response.json()
    with schema_context(company_a.schema_name):
        assert not ConsentEvent.objects.exists()


def test_a_company_customer_has_no_consents_of_its_own(api_szef, people, company_a):
    response = _change(api_szef, f"/api/v1/customers/{people['firm'].pk}/consents/")

    assert response.status_code == 400
    assert "firmą" in response.json()["detail"]


def test_contact_consents_through_the_api(api_kierownik, people):
    url = f"/api/v1/contacts/{people['contact'].pk}/consents/"

    response = _change(api_kierownik, url, channel="phone", source="phone")

    assert response.status_code == 201
    assert response.json()["phone"]["granted"] is True


@pytest.mark.parametrize("url", ["/api/v1/customers/{c}/consents/", "/api/v1/contacts/{p}/consents/"])
def test_another_companys_szef_gets_not_found(api_outsider, people, url, company_a):
    url = url.format(c=people["person"].pk, p=people["contact"].pk)

    assert api_outsider.get(url).status_code == 404
    assert _change(api_outsider, url).status_code == 404
    with schema_context(company_a.schema_name):
        assert not ConsentEvent.objects.exists()


def test_restricted_pracownik_cannot_reach_a_customer_he_does_not_see(api_restricted_pracownik, company_a):
    with schema_context(company_a.schema_name):
        hidden = CustomerFactory(name="Cudza Osoba", kind=CustomerKind.PERSON)

    assert api_restricted_pracownik.get(f"/api/v1/customers/{hidden.pk}/consents/").status_code == 404


def test_the_card_tab_shows_and_records_consents(client_a, pracownik, people, company_a):
    person = people["person"]
    client = client_a.login_as(pracownik)

    tab = client.get(f"/customers/{person.pk}/?tab=privacy")
    assert tab.status_code == 200
    assert "Zgody marketingowe" in tab.content.decode()
    assert "anonymise" not in tab.content.decode()  # Szef only
    saved = client.post(
        f"/customers/{person.pk}/privacy/",
        {"channel": "phone", "granted": "1", "source": "paper", "given_at": "2026-03-01T09:30", "note": "umowa"},
    )

    assert saved.status_code == 302 and saved["Location"].endswith("?tab=privacy")
    tab = client.get(f"/customers/{person.pk}/?tab=privacy").content.decode()
    assert "Dokument papierowy" in tab and "udzielona" in tab


def test_the_form_shows_errors_next_to_the_field_and_records_nothing(client_a, szef, people, company_a):
    response = client_a.login_as(szef).post(
        f"/customers/{people['person'].pk}/privacy/", {"channel": "email", "granted": "1", "source": "x"}
    )

    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not ConsentEvent.objects.exists()


def test_szef_sees_the_anonymise_link_on_the_tab(client_a, szef, people):
    tab = client_a.login_as(szef).get(f"/customers/{people['person'].pk}/?tab=privacy").content.decode()

    assert f"/customers/{people['person'].pk}/anonymise/" in tab


def test_company_tab_lists_contacts_with_links_to_their_page(client_a, kierownik, people):
    client = client_a.login_as(kierownik)
    tab = client.get(f"/customers/{people['firm'].pk}/?tab=privacy").content.decode()
    assert "Adam Kot" in tab and f"/customers/contacts/{people['contact'].pk}/privacy/" in tab

    page = client.get(f"/customers/contacts/{people['contact'].pk}/privacy/")
    saved = client.post(
        f"/customers/contacts/{people['contact'].pk}/privacy/", {"channel": "email", "granted": "0", "source": "email"}
    )

    assert page.status_code == 200 and "Adam Kot" in page.content.decode()
    assert saved.status_code == 302
    assert "wycofana" in client.get(saved["Location"]).content.decode()


@pytest.mark.parametrize("url", ["/customers/{c}/privacy/", "/customers/contacts/{p}/privacy/"])
def test_pages_of_another_company_are_not_found(client_b, outsider, people, url):
    url = url.format(c=people["person"].pk, p=people["contact"].pk)

    assert client_b.login_as(outsider).get(url).status_code == 404


def test_the_export_holds_the_consents(api_szef, people):
    url = f"/api/v1/customers/{people['person'].pk}/consents/"
    _change(api_szef, url)

    data = api_szef.get(f"/api/v1/customers/{people['person'].pk}/personal-data/").json()

    assert data["consents"]["email"]["granted"] is True
    assert len(data["consents"]["history"]) == 1
