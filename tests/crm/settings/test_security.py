"""Settings > Bezpieczeństwo: allowed IPs (with anti-lockout), idle timeout, required 2FA."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from freezegun import freeze_time

from crm.company.models import CompanySettings
from crm.settings.validators import ip_allowed, ip_rules_parse

OFFICE = "203.0.113.7"
HOME = "198.51.100.20"


def _security(**over):
    data = {"allowed_ips": "", "session_timeout_minutes": "0"}
    data.update(over)
    return data


@pytest.mark.parametrize(
    ("ip", "rules", "allowed"),
    [
        ("203.0.113.7", "203.0.113.0/24", True),
        ("203.0.114.1", "203.0.113.0/24", False),
        ("10.1.2.3", "192.168.0.1\n10.0.0.0/8", True),
        ("2001:db8::5", "2001:db8::/32", True),
        ("::ffff:203.0.113.7", "203.0.113.7", True),
        ("203.0.113.7", "2001:db8::/32", False),
        ("anything", "", True),
    ],
)
def test_ip_rules_match_addresses_and_cidr_ranges(ip, rules, allowed):
    assert ip_allowed(ip, ip_rules_parse(rules)) is allowed


def test_ip_rules_accept_comments_and_commas():
    assert len(ip_rules_parse("203.0.113.7, 198.51.100.0/24  # biuro i dom\n")) == 2


def test_szef_restricts_access_to_the_office_range(client_a, szef, company_a):
    client_a.login_as(szef)
    response = client_a.post("/settings/security/", _security(allowed_ips="203.0.113.0/24"), REMOTE_ADDR=OFFICE)
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        assert CompanySettings.current().allowed_ips == "203.0.113.0/24"


def test_list_that_excludes_the_current_address_is_refused_with_an_explanation(client_a, szef, company_a):
    client_a.login_as(szef)
    response = client_a.post("/settings/security/", _security(allowed_ips="10.0.0.0/8"), REMOTE_ADDR=OFFICE)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Twój obecny adres (203.0.113.7) nie jest na liście" in html
    with schema_context(company_a.schema_name):
        assert CompanySettings.current().allowed_ips == ""


def test_malformed_addresses_are_refused(client_a, szef):
    response = client_a.login_as(szef).post(
        "/settings/security/", _security(allowed_ips="203.0.113.7\n300.1.1.1\nbiuro"), REMOTE_ADDR=OFFICE
    )
    assert response.status_code == 400
    assert "300.1.1.1, biuro" in response.content.decode()


def test_requests_from_outside_the_list_are_refused_on_pages_api_and_login(
    client_a, szef, pracownik, company_a, company_settings_a, api_pracownik
):
    company_settings_a(allowed_ips="203.0.113.0/24")
    client_a.login_as(szef)
    page = client_a.get("/", REMOTE_ADDR=HOME)
    assert page.status_code == 403
    assert "198.51.100.20" in page.content.decode()
    api = api_pracownik.get("/api/v1/customers/", REMOTE_ADDR=HOME)
    assert api.status_code == 403
    assert "zablokowany" in api.json()["detail"]
    client_a.logout()
    assert client_a.get("/accounts/login/", REMOTE_ADDR=HOME).status_code == 403
    assert client_a.post("/api/v1/auth/token/", {"email": "x", "password": "y"}, REMOTE_ADDR=HOME).status_code == 403


def test_requests_from_inside_the_list_work(client_a, szef, api_pracownik, company_settings_a):
    company_settings_a(allowed_ips="203.0.113.0/24\n2001:db8::/32")
    client_a.login_as(szef)
    assert client_a.get("/settings/", REMOTE_ADDR=OFFICE).status_code == 200
    assert client_a.get("/settings/", REMOTE_ADDR="2001:db8::1").status_code == 200
    api = api_pracownik.get("/api/v1/", REMOTE_ADDR=OFFICE)
    assert api.status_code == 200


def test_another_companys_list_does_not_apply(client_b, outsider, company_settings_a):
    company_settings_a(allowed_ips="203.0.113.0/24")
    assert client_b.login_as(outsider).get("/", REMOTE_ADDR=HOME).status_code == 200


def test_health_check_is_not_blocked(client_a, company_settings_a):
    company_settings_a(allowed_ips="203.0.113.0/24")
    assert client_a.get("/healthz", REMOTE_ADDR=HOME).status_code in (200, 503)


def test_forged_forwarded_for_header_does_not_pass_the_list(client_a, szef, company_settings_a):
    company_settings_a(allowed_ips="203.0.113.0/24")
    client_a.login_as(szef)
    response = client_a.get("/", REMOTE_ADDR=HOME, HTTP_X_FORWARDED_FOR=OFFICE)
    assert response.status_code == 403


def test_idle_session_ends_after_the_chosen_timeout(client_a, szef, company_settings_a):
    company_settings_a(session_timeout_minutes=15)
    client_a.login_as(szef)
    start = timezone.now()
    with freeze_time(start):
        assert client_a.get("/settings/").status_code == 200
    with freeze_time(start + timedelta(minutes=10)):
        assert client_a.get("/settings/").status_code == 200  # activity keeps the session alive
    with freeze_time(start + timedelta(minutes=24)):
        assert client_a.get("/settings/").status_code == 200
    with freeze_time(start + timedelta(minutes=40)):
        response = client_a.get("/settings/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        login_page = client_a.get(response["Location"])
    assert "Wylogowano po 15 min bezczynności" in login_page.content.decode()


def test_sessions_do_not_time_out_when_the_setting_is_off(client_a, szef):
    client_a.login_as(szef)
    start = timezone.now()
    with freeze_time(start):
        client_a.get("/settings/")
    with freeze_time(start + timedelta(hours=5)):
        assert client_a.get("/settings/").status_code == 200


def test_staff_without_2fa_are_sent_to_enrolment_when_szef_requires_it(client_a, pracownik, company_settings_a):
    company_settings_a(mfa_required=True)
    client_a.login_as(pracownik)
    response = client_a.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    api = client_a.get("/api/v1/customers/")
    assert api.status_code == 403 and "weryfikacji dwuetapowej" in api.json()["detail"]
    assert client_a.get("/accounts/2fa/totp/activate/").status_code in (200, 302)  # enrolment itself stays open


def test_2fa_is_not_required_when_the_switch_is_off(client_a, pracownik):
    assert client_a.login_as(pracownik).get("/").status_code == 200


def test_szef_switches_requirements_and_visibility_on_the_security_page(client_a, szef, company_a):
    client_a.login_as(szef)
    response = client_a.post(
        "/settings/security/",
        _security(mfa_required="on", session_timeout_minutes="60", restrict_pracownik_to_own="on"),
    )
    assert response.status_code == 302
    with schema_context(company_a.schema_name):
        row = CompanySettings.current()
        assert row.mfa_required and row.restrict_pracownik_to_own
        assert row.session_timeout_minutes == 60


def test_unknown_timeout_value_is_refused(client_a, szef):
    response = client_a.login_as(szef).post("/settings/security/", _security(session_timeout_minutes="7"))
    assert response.status_code == 400
