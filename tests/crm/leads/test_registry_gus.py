"""Company data by NIP from GUS BIR1.1 (REGON, SOAP) through a local fake register: the
session (Zaloguj → sid header → DaneSzukajPodmioty → Wyloguj), GUS asked before the VAT
whitelist, a wrong key, a register that fails or does not answer in time (a clear message,
nothing filled), and the button shown when only GUS is configured."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crm.contacts import registers
from tests.support.fake_gus import FakeGus
from tests.support.fake_whitelist import FakeWhiteList

NIP = "5260001246"
OTHER_NIP = "7740001454"


@pytest.fixture
def gus(settings) -> Iterator[FakeGus]:
    fake = FakeGus(key="klucz-testowy-123").company(
        NIP,
        "ALFA BUD SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ",
        Regon="012345678",
        Ulica="ul. Test-Krucza",
        NrNieruchomosci="12",
        NrLokalu="4",
        KodPocztowy="00-850",
        Miejscowosc="Warszawa",
        MiejscowoscPoczty="Warszawa",
    )
    fake.start()
    settings.GUS_BIR_API_URL = fake.url
    settings.GUS_BIR_API_KEY = "klucz-testowy-123"
    settings.VAT_WHITELIST_API_BASE = ""
    yield fake
    fake.stop()


def test_gus_fills_the_company_data_through_a_session(client_a, pracownik, gus):
    client_a.login_as(pracownik)

    response = client_a.get("/customers/registry/", {"nip": "526-000-12-46"})

    assert response.status_code == 200
    company = response.json()["company"]
    assert (company["name"], company["regon"], company["street"], company["postal_code"], company["city"]) == (
        "ALFA BUD SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ",
        "012345678",
        "ul. Test-Krucza 12/4",
        "00-850",
        "Warszawa",
    )
    actions = [action for action, _sid in gus.calls]
    assert actions == ["Zaloguj", "DaneSzukajPodmioty", "Wyloguj"]
    assert gus.calls[1][1] and gus.sessions == set()


def test_an_unknown_nip_at_gus_is_explained(client_a, pracownik, gus):
    client_a.login_as(pracownik)

    response = client_a.get("/customers/registry/", {"nip": OTHER_NIP})

    assert response.status_code == 404 and "Nie znaleziono" in response.json()["error"]
    assert "company" not in response.json()


def test_a_wrong_key_or_a_failing_register_fills_nothing(client_a, pracownik, gus, settings):
    client_a.login_as(pracownik)
    settings.GUS_BIR_API_KEY = "zly-klucz"
    wrong_key = client_a.get("/customers/registry/", {"nip": NIP})
    settings.GUS_BIR_API_KEY = "klucz-testowy-123"
    gus.fail_next()
    down = client_a.get("/customers/registry/", {"nip": NIP})

    for response in (wrong_key, down):
        assert response.status_code == 502
        assert response.json() == {"ok": False, "error": "Rejestr nie odpowiada. Spróbuj później."}
    assert [action for action, _sid in gus.calls] == ["Zaloguj", "Zaloguj"]


def test_a_register_that_does_not_answer_in_time_gives_a_message(client_a, pracownik, gus, monkeypatch):
    monkeypatch.setattr(registers, "TIMEOUT", 0.3)
    gus.delay = 1.0
    client_a.login_as(pracownik)

    response = client_a.get("/customers/registry/", {"nip": NIP})

    assert response.status_code == 502 and "nie odpowiada" in response.json()["error"]


def test_gus_is_asked_before_the_whitelist_which_answers_when_gus_fails(client_a, pracownik, gus, settings):
    whitelist = FakeWhiteList().company(NIP, "ALFA BUD (BIAŁA LISTA)", "ul. Prosta 12/4, 00-850 Warszawa").start()
    settings.VAT_WHITELIST_API_BASE = whitelist.url
    try:
        client_a.login_as(pracownik)
        from_gus = client_a.get("/customers/registry/", {"nip": NIP}).json()["company"]["name"]
        gus.fail_next()
        from_whitelist = client_a.get("/customers/registry/", {"nip": NIP}).json()["company"]["name"]
    finally:
        whitelist.stop()

    assert from_gus == "ALFA BUD SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ"
    assert from_whitelist == "ALFA BUD (BIAŁA LISTA)"
    assert len(whitelist.requests) == 1


def test_the_button_shows_when_only_gus_is_configured(client_a, szef, settings):
    client_a.login_as(szef)
    settings.VAT_WHITELIST_API_BASE = ""
    settings.GUS_BIR_API_URL = "http://127.0.0.1:9/wsBIR/UslugaBIRzewnPubl.svc"
    settings.GUS_BIR_API_KEY = ""
    without_key = client_a.get("/leads/new/").content.decode()
    settings.GUS_BIR_API_KEY = "klucz"
    with_key = [client_a.get(url).content.decode() for url in ("/customers/new/", "/leads/new/")]

    assert 'data-testid="registry-fetch"' not in without_key
    assert all('data-testid="registry-fetch"' in page for page in with_key)
