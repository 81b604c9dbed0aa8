from __future__ import annotations

import html

from tenants.models import Company
from tests.public_site.helpers import public_client as make_client
from tests.public_site.helpers import signup_data


def test_availability_check_answers_429_with_a_clear_message_after_the_limit(settings, companies, db):
    settings.IMCRM_PUBLIC_RATE_LIMITS = {"signup_check": (3, 60)}
    client = make_client(REMOTE_ADDR="203.0.113.7")

    answers = [client.get("/signup/check/", {"subdomain": f"firma-{i}"}) for i in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].json() == {
        "available": False,
        "reason": "Zbyt wiele sprawdzeń w krótkim czasie. Odczekaj chwilę i spróbuj ponownie.",
    }


def test_suggestions_count_against_the_same_limit_as_checks(settings, companies, db):
    settings.IMCRM_PUBLIC_RATE_LIMITS = {"signup_check": (2, 60)}
    client = make_client(REMOTE_ADDR="203.0.113.8")

    client.get("/signup/check/", {"subdomain": "firma"})
    client.get("/signup/suggest/", {"company_name": "Firma"})

    assert client.get("/signup/suggest/", {"company_name": "Firma"}).status_code == 429


def test_limit_is_per_ip_address(settings, companies, db):
    settings.IMCRM_PUBLIC_RATE_LIMITS = {"signup_check": (1, 60)}
    first = make_client(REMOTE_ADDR="203.0.113.9")
    second = make_client(REMOTE_ADDR="203.0.113.10")

    first.get("/signup/check/", {"subdomain": "firma"})

    assert first.get("/signup/check/", {"subdomain": "firma"}).status_code == 429
    assert second.get("/signup/check/", {"subdomain": "firma"}).status_code == 200


def test_signup_answers_429_with_a_translated_message_keeps_input_and_creates_nothing(settings, companies, db):
    settings.IMCRM_PUBLIC_RATE_LIMITS = {"signup": (2, 900)}
    client = make_client(REMOTE_ADDR="198.51.100.1")
    for _ in range(2):
        client.post("/signup/", signup_data(subdomain="www"))
    data = signup_data()
    before = Company.objects.count()

    response = client.post("/signup/", data)
    body = html.unescape(response.content.decode())

    assert response.status_code == 429
    assert "Zbyt wiele prób zakładania konta z tego adresu IP." in body
    assert f'value="{data["subdomain"]}"' in body
    assert f'value="{data["company_name"]}"' in body
    assert Company.objects.count() == before


def test_signup_limit_message_is_english_for_english_visitors(settings, companies, db):
    settings.IMCRM_PUBLIC_RATE_LIMITS = {"signup": (0, 900)}
    client = make_client(REMOTE_ADDR="198.51.100.2", HTTP_ACCEPT_LANGUAGE="en")

    response = client.post("/signup/", signup_data())

    assert response.status_code == 429
    assert "Too many sign-up attempts from this IP address." in html.unescape(response.content.decode())


def test_looking_at_the_signup_form_is_never_limited(settings, companies, db):
    settings.IMCRM_PUBLIC_RATE_LIMITS = {"signup": (0, 900)}
    client = make_client(REMOTE_ADDR="198.51.100.3")

    assert client.get("/signup/").status_code == 200


def test_address_reminder_answers_429_after_the_limit(settings, companies, db):
    settings.IMCRM_PUBLIC_RATE_LIMITS = {"address_reminder": (1, 3600)}
    client = make_client(REMOTE_ADDR="198.51.100.4")

    client.post("/zaloguj/przypomnij-adres/", {"email": "ktos@firma.test"})
    response = client.post("/zaloguj/przypomnij-adres/", {"email": "ktos@firma.test"})

    assert response.status_code == 429
    assert "Zbyt wiele próśb z tego adresu IP." in html.unescape(response.content.decode())


def test_an_operator_can_reset_a_clients_counter(settings, companies, db):
    from public_site import ratelimit

    settings.IMCRM_PUBLIC_RATE_LIMITS = {"signup_check": (1, 60)}
    client = make_client(REMOTE_ADDR="198.51.100.5")
    client.get("/signup/check/", {"subdomain": "firma"})
    assert client.get("/signup/check/", {"subdomain": "firma"}).status_code == 429

    ratelimit.reset("signup_check", "198.51.100.5")

    assert client.get("/signup/check/", {"subdomain": "firma"}).status_code == 200
