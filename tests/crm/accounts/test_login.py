"""Signing in on the company host through allauth: Polish and English, rate limits that
do not let a stranger lock Szef out, logout, password reset, e-mail change, TOTP 2FA."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from allauth.mfa.models import Authenticator
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context
from freezegun import freeze_time

from crm.accounts.models import User
from tests.support.totp import frozen_clock, totp_code, totp_wrong_code

PASSWORD = "Haslo-testowe-123"


def _login(client, email="szef@alfa.test", password=PASSWORD, ip="203.0.113.10"):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


def _signed_in(client) -> bool:
    return client.get("/settings/users/").status_code in (200, 403)


def test_login_page_speaks_polish_and_english(client_a):
    polish = client_a.get("/accounts/login/").content.decode()
    assert "Zaloguj się do firmy „Alfa" in polish and "/accounts/password/reset/" in polish
    assert "/accounts/signup/" not in polish  # staff join by invitation only
    english = client_a.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign in to “Alfa" in english and "Forgot your password?" in english


def test_staff_sign_in_and_out_on_the_company_host(client_a):
    response = _login(client_a)
    assert response.status_code == 302 and response["Location"] == "/"
    assert _signed_in(client_a)
    assert client_a.post("/accounts/logout/").status_code == 302
    assert not _signed_in(client_a)


def test_company_b_credentials_do_not_work_on_company_a(client_a):
    response = _login(client_a, email="szef@beta.test")
    assert response.status_code == 200
    assert not _signed_in(client_a)


def test_repeated_failures_throttle_the_account_with_a_message(client_a):
    for _ in range(5):
        assert _login(client_a, password="zle-haslo").status_code == 200
    blocked = _login(client_a)  # even the right password waits now
    assert "Zbyt wiele nieudanych prób logowania" in blocked.content.decode()
    assert not _signed_in(client_a)


def test_a_stranger_failing_from_elsewhere_does_not_lock_szef_out(client_a, company_a):
    stranger = type(client_a)(company_a)
    for i in range(12):
        _login(stranger, password=f"zgaduje-{i}", ip="198.51.100.66")
    assert "Zbyt wiele" in _login(stranger, password="zgaduje-x", ip="198.51.100.66").content.decode()
    response = _login(client_a, ip="203.0.113.10")
    assert response.status_code == 302
    assert _signed_in(client_a)


def test_one_address_trying_many_accounts_is_throttled(client_a):
    for i in range(10):
        _login(client_a, email=f"osoba{i}@alfa.test", password="zle-haslo", ip="198.51.100.77")
    blocked = _login(client_a, email="pracownik@alfa.test", ip="198.51.100.77")
    assert blocked.status_code in (200, 429)
    assert not _signed_in(client_a)


def test_password_reset_mail_links_to_the_company_host(client_a, company_a):
    response = client_a.post("/accounts/password/reset/", {"email": "pracownik@alfa.test"})
    assert response.status_code == 302
    message = mail.outbox[-1]
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", message.body).group(0)
    assert urlsplit(link).hostname == "alfa.imcrm.localhost"
    page = client_a.get(urlsplit(link).path)
    form_url = page["Location"] if page.status_code == 302 else urlsplit(link).path
    done = client_a.post(form_url, {"password1": "Nowe-haslo-2024", "password2": "Nowe-haslo-2024"})
    assert done.status_code == 302
    with schema_context(company_a.schema_name):
        assert User.objects.get(email="pracownik@alfa.test").check_password("Nowe-haslo-2024")


def test_staff_change_their_email_after_confirming_the_new_address(client_a, company_a):
    _login(client_a, email="pracownik@alfa.test")
    response = client_a.post("/accounts/email/", {"email": "piotr@alfa.test", "action_add": ""})
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["piotr@alfa.test"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    client_a.post(urlsplit(link).path)
    with schema_context(company_a.schema_name):
        assert User.objects.filter(email="piotr@alfa.test").exists()
        assert not User.objects.filter(email="pracownik@alfa.test").exists()


# --- two-factor authentication (TOTP + recovery codes) ------------------------------------------


def _enrol(client, password=PASSWORD) -> str:
    page = client.get("/accounts/2fa/totp/activate/")
    if page.status_code == 302 and page["Location"].startswith("/accounts/reauthenticate/"):
        # allauth asks for the password again before security changes
        assert client.post(page["Location"], {"password": password}).status_code == 302
        page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7=]+)"', page.content.decode())
    if secret is None:
        secret = re.search(r'value="([A-Z2-7=]{32})"', page.content.decode())
    secret_value = secret.group(1)
    with frozen_clock():
        wrong = client.post("/accounts/2fa/totp/activate/", {"code": totp_wrong_code(secret_value)})
        assert wrong.status_code == 200  # refused, the form is shown again
        response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret_value)})
    assert response.status_code == 302
    return secret_value


def test_szef_enrols_totp_and_gets_recovery_codes(client_a, szef, company_a):
    _login(client_a)
    _enrol(client_a)
    with schema_context(company_a.schema_name):
        types = set(Authenticator.objects.filter(user=szef).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    codes_page = client_a.get("/accounts/2fa/recovery-codes/")
    assert codes_page.status_code in (200, 302)


def test_login_with_totp_asks_for_the_code(client_a, company_a):
    start = timezone.now()
    with freeze_time(start):
        _login(client_a)
        secret = _enrol(client_a)
        client_a.post("/accounts/logout/")
    with freeze_time(start + timedelta(minutes=2)):
        step = _login(client_a)
        assert step.status_code == 302 and step["Location"].startswith("/accounts/2fa/authenticate/")
        assert not _signed_in(client_a)
        wrong = client_a.post("/accounts/2fa/authenticate/", {"code": totp_wrong_code(secret)})
        assert wrong.status_code == 200
        done = client_a.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
        assert done.status_code == 302
        assert _signed_in(client_a)


def test_a_recovery_code_signs_in_once(client_a, szef, company_a):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    start = timezone.now()
    with freeze_time(start):
        _login(client_a)
        _enrol(client_a)
        client_a.post("/accounts/logout/")
    with schema_context(company_a.schema_name):
        authenticator = Authenticator.objects.get(user=szef, type=Authenticator.Type.RECOVERY_CODES)
        code = RecoveryCodes(authenticator).get_unused_codes()[0]
    with freeze_time(start + timedelta(minutes=2)):
        _login(client_a)
        assert client_a.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
        assert _signed_in(client_a)
        client_a.post("/accounts/logout/")
        _login(client_a)
        assert client_a.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200
        assert not _signed_in(client_a)


def test_required_2fa_is_satisfied_after_enrolment(client_a, company_settings_a):
    company_settings_a(mfa_required=True)
    _login(client_a, email="pracownik@alfa.test")
    assert client_a.get("/").status_code == 302
    _enrol(client_a)
    assert client_a.get("/").status_code == 200
