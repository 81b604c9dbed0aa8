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
    assert actions == ["Zaloguj", "DaneSzukajPodmioty", "DanePobierzPelnyRaport", "DanePobierzPelnyRaport", "Wyloguj"]
    assert gus.calls[1][1] and gus.sessions == set()
    assert gus.asked_reports == ["BIR11OsPrawna", "BIR11OsPrawnaPkd"]


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


PRAWNA = {
    "praw_regon9": "012345678",
    "praw_regon14": "01234567800000",
    "praw_nip": NIP,
    "praw_nazwa": "ALFA BUD SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ",
    "praw_dataRozpoczeciaDzialalnosci": "2004-05-01",
    "praw_numerTelefonu": "226083000",
    "praw_adresEmail": "BIURO@ALFABUD.PL",
    "praw_adresStronyinternetowej": "www.alfabud.pl",
    "praw_podstawowaFormaPrawna_Nazwa": "OSOBA PRAWNA",
    "praw_szczegolnaFormaPrawna_Nazwa": "SPÓŁKI Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ",
}
PRAWNA_PKD = [
    {
        "praw_pkdKod": "4120Z",
        "praw_pkdNazwa": "ROBOTY BUDOWLANE ZWIĄZANE ZE WZNOSZENIEM BUDYNKÓW",
        "praw_pkdPrzewazajace": "0",
    },
    {
        "praw_pkdKod": "4399Z",
        "praw_pkdNazwa": "POZOSTAŁE SPECJALISTYCZNE ROBOTY BUDOWLANE",
        "praw_pkdPrzewazajace": "1",
    },
]


def test_the_full_report_fills_contact_data_and_lists_what_the_form_has_no_field_for(client_a, pracownik, gus):
    gus.report("012345678", "BIR11OsPrawna", [PRAWNA]).report("012345678", "BIR11OsPrawnaPkd", PRAWNA_PKD)
    client_a.login_as(pracownik)

    answer = client_a.get("/customers/registry/", {"nip": NIP}).json()

    company = answer["company"]
    assert (company["phone"], company["email"], company["website"]) == (
        "226083000",
        "biuro@alfabud.pl",
        "https://www.alfabud.pl",
    )
    assert (company["regon14"], company["start_date"], company["pkd_code"]) == (
        "01234567800000",
        "2004-05-01",
        "43.99.Z",
    )
    assert company["legal_form"] == "SPÓŁKI Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ" and "warning" not in answer["company"]
    assert answer["details"] == [
        ["REGON", "01234567800000"],
        ["Forma prawna", "SPÓŁKI Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ"],
        ["Data rozpoczęcia działalności", "2004-05-01"],
        ["Główny PKD", "43.99.Z POZOSTAŁE SPECJALISTYCZNE ROBOTY BUDOWLANE"],
    ]
    assert gus.sessions == set()


def test_a_sole_traders_business_report_is_asked_by_its_silo(client_a, pracownik, settings):
    fake = FakeGus(key="klucz").start()
    fake.company(OTHER_NIP, "JAN NOWAK USŁUGI", Typ="F", SilosID="1", Regon="123456789", Miejscowosc="Kraków")
    fake.report(
        "123456789",
        "BIR11OsFizycznaDzialalnoscCeidg",
        [
            {
                "fiz_regon9": "123456789",
                "fiz_numerTelefonu": "600100200",
                "fiz_dataRozpoczeciaDzialalnosci": "2019-09-16",
            }
        ],
    )
    fake.report(
        "123456789",
        "BIR11OsFizycznaPkd",
        [
            {
                "fiz_pkd_Kod": "6201Z",
                "fiz_pkd_Nazwa": "DZIAŁALNOŚĆ ZWIĄZANA Z OPROGRAMOWANIEM",
                "fiz_pkd_Przewazajace": "1",
            }
        ],
    )
    settings.GUS_BIR_API_URL, settings.GUS_BIR_API_KEY, settings.VAT_WHITELIST_API_BASE = fake.url, "klucz", ""
    try:
        client_a.login_as(pracownik)
        company = client_a.get("/customers/registry/", {"nip": OTHER_NIP}).json()["company"]
    finally:
        fake.stop()

    assert fake.asked_reports == ["BIR11OsFizycznaDzialalnoscCeidg", "BIR11OsFizycznaPkd"]
    assert (company["name"], company["phone"], company["start_date"]) == ("JAN NOWAK USŁUGI", "600100200", "2019-09-16")
    assert (company["pkd_code"], company["pkd_name"]) == ("62.01.Z", "DZIAŁALNOŚĆ ZWIĄZANA Z OPROGRAMOWANIEM")


def test_a_failing_full_report_keeps_the_basic_data_with_a_message(client_a, pracownik, gus):
    gus.fail_action = "DanePobierzPelnyRaport"
    client_a.login_as(pracownik)

    response = client_a.get("/customers/registry/", {"nip": NIP})

    company = response.json()["company"]
    assert response.status_code == 200
    assert (company["name"], company["city"], company["phone"]) == (
        "ALFA BUD SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ",
        "Warszawa",
        "",
    )
    assert company["warning"] == "Pełny raport GUS jest niedostępny — uzupełniono tylko podstawowe dane."
    assert [action for action, _sid in gus.calls][-1] == "Wyloguj" and gus.sessions == set()


def test_the_forms_fill_contact_fields_only_when_they_are_empty(client_a, szef, gus):
    client_a.login_as(szef)

    customer_form = client_a.get("/customers/new/").content.decode()
    lead_form = client_a.get("/leads/new/").content.decode()

    assert "phone:id_phone?,email:id_email?,website:id_website?" in customer_form
    assert "name:id_company_name,tax_id:id_tax_id,phone:id_phone?,email:id_email?" in lead_form
