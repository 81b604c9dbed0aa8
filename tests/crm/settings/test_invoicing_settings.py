"""Settings > Firma (bank account), Settings > Faktury and Settings > KSeF (the token stored
encrypted, never shown)."""

from __future__ import annotations

from crm.company.crypto import secret_decrypt
from crm.company.models import CompanySettings

COMPANY = {
    "name": "Alfa Sp. z o.o.",
    "street": "ul. Podlesie 3",
    "postal_code": "41-303",
    "city": "Dąbrowa Górnicza",
    "country": "Polska",
    "tax_id": "5260250274",
    "phone": "",
    "email": "",
    "website": "",
}
INVOICING = {
    "invoice_number_pattern": "FV/{YYYY}/{MM}/{NR}",
    "proforma_number_pattern": "PRO/{YYYY}/{MM}/{NR}",
    "correction_number_pattern": "KOR/{YYYY}/{MM}/{NR}",
    "number_reset": "monthly",
    "payment_term_days": "30",
    "place_of_issue": "Kraków",
}


def test_bank_account_is_checked_and_saved_on_the_company_page(client_a, szef, in_a):
    client_a.login_as(szef)

    bad = client_a.post("/settings/company/", {**COMPANY, "bank_account": "PL00 1090 1014 0000 0712 1981 2874"})
    good = client_a.post("/settings/company/", {**COMPANY, "bank_account": "61109010140000071219812874"})

    assert bad.status_code == 400 and "sumę kontrolną" in bad.content.decode()
    assert good.status_code == 302
    with in_a():
        assert CompanySettings.objects.get(pk=1).bank_account == "PL61109010140000071219812874"


def test_invoicing_settings_page_saves_numbering_and_terms(client_a, szef, in_a):
    client_a.login_as(szef)

    page = client_a.get("/settings/invoicing/")
    response = client_a.post("/settings/invoicing/", {**INVOICING, "pracownik_may_issue_invoices": "on"})

    assert page.status_code == 200 and 'data-testid="number-examples"' in page.content.decode()
    assert response.status_code == 302
    with in_a():
        settings = CompanySettings.objects.get(pk=1)
    assert settings.payment_term_days == 30 and settings.place_of_issue == "Kraków"
    assert settings.pracownik_may_issue_invoices


def test_a_pattern_that_would_repeat_numbers_is_shown_next_to_its_field(client_a, szef, in_a):
    client_a.login_as(szef)

    response = client_a.post("/settings/invoicing/", {**INVOICING, "invoice_number_pattern": "FV/{NR}"})

    assert response.status_code == 400
    assert "wymaga we wzorze roku" in response.content.decode()
    with in_a():
        assert CompanySettings.objects.get(pk=1).invoice_number_pattern == "FV/{YYYY}/{MM}/{NR}"


def test_ksef_token_is_stored_encrypted_and_never_shown(client_a, szef, company_settings_a, in_a):
    company_settings_a(tax_id="5260250274")
    client_a.login_as(szef)
    token = "20260101-EC-SECRET|nip-5260250274|abc"

    response = client_a.post(
        "/settings/ksef/", {"ksef_enabled": "on", "ksef_environment": "demo", "ksef_api_url": "", "ksef_token": token}
    )

    assert response.status_code == 302
    with in_a():
        settings = CompanySettings.objects.get(pk=1)
    assert settings.ksef_enabled and settings.ksef_environment == "demo"
    assert token not in settings.ksef_token_encrypted and secret_decrypt(settings.ksef_token_encrypted) == token
    page = client_a.get("/settings/ksef/").content.decode()
    assert token not in page and 'data-testid="ksef-token-state"' in page


def test_ksef_cannot_be_switched_on_without_nip_and_token(client_a, szef, in_a):
    client_a.login_as(szef)

    response = client_a.post("/settings/ksef/", {"ksef_enabled": "on", "ksef_environment": "test", "ksef_api_url": ""})

    page = response.content.decode()
    assert response.status_code == 400
    assert "podaj NIP firmy" in page.replace("Najpierw p", "p") and "podaj token KSeF" in page
    with in_a():
        assert not CompanySettings.objects.get(pk=1).ksef_enabled


def test_invoicing_and_ksef_settings_are_for_szef_only(client_a, kierownik, pracownik):
    for user in (kierownik, pracownik):
        client_a.login_as(user)
        assert client_a.get("/settings/invoicing/").status_code == 403
        assert client_a.get("/settings/ksef/").status_code == 403
