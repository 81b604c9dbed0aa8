from __future__ import annotations

from django.conf import settings
from django.test import Client

from billing_saas.models import OperatorAction, OperatorAuditEntry
from tests.billing_saas.conftest import OPERATOR_PASSWORD, operator_create, operator_sign_in, random_ip
from tests.support.companies import PASSWORD
from tests.support.totp import frozen_clock, totp_code, totp_wrong_code


def test_anonymous_visitor_is_sent_to_operator_sign_in(public_ip_client):
    response = public_ip_client.get("/operator/")
    assert response.status_code == 302
    assert response["Location"] == "/operator/accounts/login/?next=%2Foperator%2F"
    assert public_ip_client.get("/operator/accounts/login/").status_code == 200


def test_anonymous_cannot_run_an_operator_action(public_ip_client, company_a):
    response = public_ip_client.post(f"/operator/companies/{company_a.pk}/suspend/", {"reason": "x"})
    assert response.status_code == 302
    company_a.refresh_from_db()
    assert company_a.status == "trial"


def test_szef_of_a_company_cannot_sign_in_to_the_operator_console(public_ip_client, szef):
    response = public_ip_client.post("/operator/accounts/login/", {"login": "szef@alfa.test", "password": PASSWORD})
    assert response.status_code == 200  # the form again, with an error: no such account here
    assert "_auth_user_id" not in public_ip_client.session
    assert public_ip_client.get("/operator/").status_code == 302


def test_szefs_company_session_is_worthless_on_the_operator_console(client_a, szef):
    client_a.login_as(szef)
    public = Client(HTTP_HOST=settings.IMCRM_BASE_DOMAIN)
    public.cookies = client_a.cookies  # the same browser, now on the public host
    response = public.get("/operator/")
    assert response.status_code == 302 and "/operator/accounts/login/" in response["Location"]


def test_operator_without_2fa_is_refused(public_ip_client, companies, db):
    user, _secret = operator_create(with_totp=False)
    response = operator_sign_in(public_ip_client, user, None)
    assert response.status_code == 302  # signed in with the password...
    page = public_ip_client.get("/operator/")
    assert page.status_code == 403  # ...but the console needs 2FA
    assert 'data-reason="no_2fa"' in page.content.decode()
    assert public_ip_client.get("/operator/audit/").status_code == 403


def test_a_public_account_that_is_not_staff_is_refused(public_ip_client, companies, db):
    user, secret = operator_create(is_staff=False)
    operator_sign_in(public_ip_client, user, secret)
    page = public_ip_client.get("/operator/")
    assert page.status_code == 403
    assert 'data-reason="not_operator"' in page.content.decode()


def test_operator_with_a_wrong_code_does_not_get_in(public_ip_client, companies, db):
    user, secret = operator_create()
    response = public_ip_client.post("/operator/accounts/login/", {"login": user.email, "password": OPERATOR_PASSWORD})
    assert "/operator/accounts/2fa/authenticate/" in response["Location"]
    with frozen_clock():
        wrong = totp_wrong_code(secret)
        assert public_ip_client.post("/operator/accounts/2fa/authenticate/", {"code": wrong}).status_code == 200
    assert public_ip_client.get("/operator/").status_code == 302


def test_password_only_session_of_a_2fa_operator_must_confirm_a_code(public_ip_client, companies, db):
    user, _secret = operator_create()
    public_ip_client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = public_ip_client.get("/operator/")
    assert response.status_code == 302
    assert response["Location"].startswith("/operator/accounts/2fa/reauthenticate/")


def test_operator_with_2fa_enters_the_console(operator_client):
    response = operator_client.get("/operator/")
    assert response.status_code == 200
    assert 'data-testid="companies"' in response.content.decode()


def test_operator_console_does_not_exist_on_a_company_host(client_a, szef):
    assert client_a.login_as(szef).get("/operator/").status_code == 404


def test_operator_sign_in_is_locked_per_account_and_ip_even_for_the_right_password(companies, db):
    user, secret = operator_create()
    attacker = Client(HTTP_HOST=settings.IMCRM_BASE_DOMAIN, REMOTE_ADDR=random_ip())
    for _ in range(5):
        assert (
            attacker.post("/operator/accounts/login/", {"login": user.email, "password": "zgadywane"}).status_code
            == 200
        )
    blocked = attacker.post("/operator/accounts/login/", {"login": user.email, "password": OPERATOR_PASSWORD})
    assert "Zbyt wiele nieudanych prób logowania" in blocked.content.decode()
    assert "_auth_user_id" not in attacker.session
    other_ip = Client(HTTP_HOST=settings.IMCRM_BASE_DOMAIN, REMOTE_ADDR=random_ip())
    assert operator_sign_in(other_ip, user, secret).status_code == 302
    assert other_ip.get("/operator/").status_code == 200


def test_wrong_operator_codes_count_in_the_same_throttle_and_the_lock_is_audited(companies, db):
    user, secret = operator_create()
    client = Client(HTTP_HOST=settings.IMCRM_BASE_DOMAIN, REMOTE_ADDR=random_ip())
    with frozen_clock():
        client.post("/operator/accounts/login/", {"login": user.email, "password": OPERATOR_PASSWORD})
        for _ in range(5):
            client.post("/operator/accounts/2fa/authenticate/", {"code": totp_wrong_code(secret)})
        right = client.post("/operator/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert right.status_code == 200 and "Zbyt wiele nieudanych prób logowania" in right.content.decode()
    assert client.get("/operator/").status_code == 302
    entry = OperatorAuditEntry.objects.get(action=OperatorAction.LOGIN_LOCKED)
    assert entry.details["account"] == user.email and entry.details["scope"] == "account_ip"
    assert user.email in entry.reason


def test_operator_sign_in_page_is_the_operators_own_not_the_staff_one(public_ip_client):
    html = public_ip_client.get("/operator/accounts/login/").content.decode()
    assert "Konsola operatora: logowanie" in html
    assert 'data-testid="operator-login-note"' in html
    assert "zaproszenie" not in html  # staff join by invitation; operators do not


def test_company_sign_in_page_still_speaks_to_staff(client_a):
    html = client_a.get("/accounts/login/").content.decode()
    assert "zaproszenie e-mailem" in html
    assert "Konsola operatora" not in html
