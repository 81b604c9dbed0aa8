"""Company data by NIP from the VAT taxpayers' list ("Pobierz dane z GUS"), through a local
fake register: the JSON endpoint, the button on the customer and lead forms (hidden
without configuration), bad NIPs, a register that does not answer, ranks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fake_whitelist import FakeWhiteList

NIP = "5260001246"


@pytest.fixture
def register(settings) -> Iterator[FakeWhiteList]:
    fake = FakeWhiteList().company(NIP, "ALFA BUD SPÓŁKA Z O.O.", "ul. Prosta 12/4, 00-850 Warszawa", "012345678")
    fake.start()
    settings.VAT_WHITELIST_API_BASE = fake.url
    yield fake
    fake.stop()


def test_the_register_fills_the_company_data(client_a, pracownik, register):
    client_a.login_as(pracownik)

    response = client_a.get("/customers/registry/", {"nip": "526-000-12-46"})

    assert response.status_code == 200
    company = response.json()["company"]
    assert (company["name"], company["street"], company["postal_code"], company["city"]) == (
        "ALFA BUD SPÓŁKA Z O.O.",
        "ul. Prosta 12/4",
        "00-850",
        "Warszawa",
    )
    assert register.requests[0].startswith(f"/api/search/nip/{NIP}?date=")


def test_an_unknown_or_bad_nip_and_a_silent_register_are_explained(client_a, pracownik, register):
    client_a.login_as(pracownik)

    unknown = client_a.get("/customers/registry/", {"nip": "7740001454"})
    bad = client_a.get("/customers/registry/", {"nip": "123"})
    register.fail_next()
    down = client_a.get("/customers/registry/", {"nip": NIP})

    assert unknown.status_code == 404 and "Nie znaleziono" in unknown.json()["error"]
    assert bad.status_code == 400 and "NIP" in bad.json()["error"]
    assert down.status_code == 502 and "nie odpowiada" in down.json()["error"]


def test_the_button_shows_on_the_customer_and_lead_forms_only_when_configured(client_a, szef, settings):
    client_a.login_as(szef)
    settings.VAT_WHITELIST_API_BASE = ""
    hidden = [client_a.get(url).content.decode() for url in ("/customers/new/", "/leads/new/")]
    settings.VAT_WHITELIST_API_BASE = "http://127.0.0.1:9"
    shown = [client_a.get(url).content.decode() for url in ("/customers/new/", "/leads/new/")]

    assert all('data-testid="registry-fetch"' not in page for page in hidden)
    assert all('data-testid="registry-fetch"' in page and "Pobierz dane z GUS" in page for page in shown)
    assert client_a.get("/customers/registry/", {"nip": NIP}).status_code in (502, 200)
    settings.VAT_WHITELIST_API_BASE = ""
    assert client_a.get("/customers/registry/", {"nip": NIP}).status_code == 404


def test_the_lookup_needs_a_signed_in_person(client_a, register):
    response = client_a.get("/customers/registry/", {"nip": NIP})

    assert response.status_code == 302 and "/login" in response["Location"]
