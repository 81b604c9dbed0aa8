"""Settings > Płatności online: Szef stores the company's Stripe keys; the secrets are
encrypted at rest and never shown back; other ranks get 403."""

from __future__ import annotations

from django.db import connection as db

from crm.company.crypto import secret_decrypt
from crm.payments.gateway import gateway_keys
from crm.payments.models import StripeGateway
from tests.crm.payments.conftest import PUBLISHABLE, SECRET, WEBHOOK_SECRET, gateway_set

URL = "/settings/online-payments/"


def _form(**changes):
    data = {"enabled": "on", "publishable_key": PUBLISHABLE, "secret_key": SECRET, "webhook_secret": WEBHOOK_SECRET}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_szef_saves_the_keys_and_the_secrets_are_encrypted_in_the_database(client_a, szef, in_a):
    client_a.login_as(szef)
    response = client_a.post(URL, _form())
    assert response.status_code == 302

    with in_a():
        gateway = StripeGateway.current()
        assert gateway.enabled and gateway.publishable_key == PUBLISHABLE
        with db.cursor() as cursor:
            cursor.execute("SELECT secret_key_encrypted, webhook_secret_encrypted FROM payments_stripegateway")
            stored = " ".join(cursor.fetchone())
        assert SECRET not in stored and WEBHOOK_SECRET not in stored
        assert secret_decrypt(gateway.secret_key_encrypted) == SECRET
        assert gateway_keys().webhook_secret == WEBHOOK_SECRET


def test_the_page_never_shows_a_stored_secret_and_an_empty_field_keeps_it(client_a, szef, in_a):
    with in_a():
        gateway_set()
    client_a.login_as(szef)

    html = client_a.get(URL).content.decode()
    assert SECRET not in html and WEBHOOK_SECRET not in html
    assert PUBLISHABLE in html
    assert 'data-testid="secret-key-state"' in html and "zapisany" in html

    response = client_a.post(URL, _form(secret_key="", webhook_secret="", enabled=None))
    assert response.status_code == 302
    with in_a():
        keys = gateway_keys()
        assert not StripeGateway.current().enabled
    assert keys.secret_key == SECRET and keys.webhook_secret == WEBHOOK_SECRET


def test_the_page_shows_the_companys_own_webhook_address(client_a, szef, company_a):
    html = client_a.login_as(szef).get(URL).content.decode()
    assert f"{company_a.domains.first().domain}/payments/stripe/webhook/" in html


def test_keys_that_do_not_look_like_stripe_keys_are_refused_and_nothing_changes(client_a, szef, in_a):
    with in_a():
        gateway_set(enabled=False)
    client_a.login_as(szef)

    response = client_a.post(
        URL, _form(publishable_key="sk_test_wrongplace123", secret_key="pk_test_abcdefghij", webhook_secret="abc")
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "pk_live_" in html and "sk_live_" in html and "whsec_" in html
    with in_a():
        gateway = StripeGateway.current()
        assert not gateway.enabled and gateway.publishable_key == PUBLISHABLE
        assert gateway_keys().secret_key == SECRET


def test_switching_on_without_the_keys_says_which_are_missing(client_a, szef, in_a):
    client_a.login_as(szef)
    response = client_a.post(URL, _form(secret_key="", webhook_secret=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "podaj klucz tajny" in html and "podaj sekret podpisu webhooka" in html
    with in_a():
        assert not StripeGateway.current().enabled


def test_test_and_live_keys_cannot_be_mixed(client_a, szef):
    client_a.login_as(szef)
    response = client_a.post(URL, _form(secret_key="sk_live_AlfaSecret12345"))
    assert response.status_code == 400
    assert "tego samego trybu" in response.content.decode()


def test_the_connection_test_names_the_stripe_account(client_a, szef, gateway_a):
    client_a.login_as(szef)
    page = client_a.post(f"{URL}test/", follow=True).content.decode()
    assert "Firma Testowa" in page
    call = gateway_a.calls("GET", "/v1/account")[0]
    assert call.headers["authorization"] == f"Bearer {SECRET}"


def test_the_connection_test_reports_a_refused_key(client_a, szef, in_a, fake_stripe):
    with in_a():
        gateway_set(secret="pk_test_notasecretkey1")  # the fake refuses keys that are not sk_
    page = client_a.login_as(szef).post(f"{URL}test/", follow=True).content.decode()
    assert "Stripe nie przyjął klucza tajnego" in page


def test_kierownik_and_pracownik_cannot_open_the_settings(client_a, kierownik, pracownik):
    assert client_a.login_as(kierownik).get(URL).status_code == 403
    assert client_a.post(URL, _form()).status_code == 403
    assert client_a.post(f"{URL}test/").status_code == 403
    assert client_a.login_as(pracownik).get(URL).status_code == 403


def test_another_companys_settings_page_shows_only_its_own_gateway(client_b, outsider, in_a):
    with in_a():
        gateway_set()
    html = client_b.login_as(outsider).get(URL).content.decode()
    assert PUBLISHABLE not in html
    assert client_b.post(URL, _form()).status_code == 302
    with in_a():
        assert StripeGateway.objects.count() == 1  # A's row untouched by B's save
