from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django_tenants.utils import schema_context
from freezegun import freeze_time

from crm.accounts.handoff import SALT, handoff_token_create
from crm.accounts.models import User
from tests.conftest import TenantClient
from tests.public_site.helpers import public_client as make_public_client
from tests.public_site.helpers import signup_data

LOGIN = "/accounts/login/"


def _token(company, user) -> str:
    return handoff_token_create(company_id=company.pk, schema_name=company.schema_name, user_id=user.pk)


def test_hand_off_signs_the_szef_in_on_the_company_host_and_opens_the_dashboard(client_a, szef, company_a):
    response = client_a.get(f"/auth/handoff/{_token(company_a, szef)}/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client_a.get("/").status_code == 200
    with schema_context(company_a.schema_name):
        assert client_a.session["_auth_user_id"] == str(szef.pk)


def test_hand_off_session_cookie_is_host_only(client_a, szef, company_a):
    client_a.get(f"/auth/handoff/{_token(company_a, szef)}/")

    assert client_a.cookies["sessionid"]["domain"] == ""


def test_a_used_token_gives_the_login_page_and_nothing_else(client_a, szef, company_a):
    token = _token(company_a, szef)
    client_a.get(f"/auth/handoff/{token}/")
    second = TenantClient(company_a)

    response = second.get(f"/auth/handoff/{token}/")

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert second.get("/").status_code == 302
    assert "sessionid" not in second.cookies or not second.cookies["sessionid"].value


def test_an_expired_token_gives_the_login_page(client_a, szef, company_a):
    with freeze_time(timezone.now()) as frozen:
        token = _token(company_a, szef)
        frozen.tick(timedelta(seconds=61))
        response = client_a.get(f"/auth/handoff/{token}/")

    assert response["Location"] == LOGIN
    assert client_a.get("/").status_code == 302


def test_a_token_still_works_within_its_60_seconds(client_a, szef, company_a):
    with freeze_time(timezone.now()) as frozen:
        token = _token(company_a, szef)
        frozen.tick(timedelta(seconds=55))
        response = client_a.get(f"/auth/handoff/{token}/")

    assert response["Location"] == "/"


def test_a_token_for_another_company_gives_the_login_page_on_this_host(client_b, szef, company_a):
    token = _token(company_a, szef)

    response = client_b.get(f"/auth/handoff/{token}/")

    assert response["Location"] == LOGIN
    assert client_b.get("/").status_code == 302


def test_a_wrong_host_attempt_does_not_burn_the_token_for_its_own_company(client_a, client_b, szef, company_a):
    token = _token(company_a, szef)
    client_b.get(f"/auth/handoff/{token}/")

    assert client_a.get(f"/auth/handoff/{token}/")["Location"] == "/"


def test_a_token_is_refused_on_the_public_host(public_client, szef, company_a):
    response = public_client.get(f"/auth/handoff/{_token(company_a, szef)}/")
    assert response.status_code == 404


def test_a_forged_or_tampered_token_gives_the_login_page(client_a, szef, company_a):
    forged = signing.dumps({"c": company_a.pk, "u": szef.pk, "n": "guess"}, salt=SALT, key="not-the-secret")
    genuine = _token(company_a, szef)
    tampered = genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB")
    replayed_nonce = signing.dumps({"c": company_a.pk, "u": szef.pk, "n": "never-issued"}, salt=SALT)

    for token in (forged, tampered, replayed_nonce, "garbage"):
        assert client_a.get(f"/auth/handoff/{token}/")["Location"] == LOGIN
    assert client_a.get("/").status_code == 302


def test_a_deactivated_user_cannot_be_handed_off(client_a, pracownik, company_a):
    token = _token(company_a, pracownik)
    with schema_context(company_a.schema_name):
        User.objects.filter(pk=pracownik.pk).update(is_active=False)

    assert client_a.get(f"/auth/handoff/{token}/")["Location"] == LOGIN


def test_signup_lands_signed_in_as_szef_on_the_new_host(companies, db):
    from tenants.models import Company

    data = signup_data()
    response = make_public_client().post("/signup/", data)
    company = Company.objects.get(subdomain=data["subdomain"])
    client = TenantClient(company)
    prefix = f"http://{data['subdomain']}.{settings.IMCRM_BASE_DOMAIN}:{settings.IMCRM_PUBLIC_PORT}"
    assert response["Location"].startswith(prefix)

    landed = client.get(response["Location"].removeprefix(prefix))
    dashboard = client.get("/")

    assert landed["Location"] == "/"
    assert dashboard.status_code == 200
    with schema_context(company.schema_name):
        szef = User.objects.get()
        assert client.session["_auth_user_id"] == str(szef.pk)
        assert szef.role == "szef"


def test_hand_off_url_points_at_the_company_hosts_receiving_view():
    from django.urls import reverse

    from crm.accounts.handoff import handoff_url

    expected = reverse("auth-handoff", kwargs={"token": "abc:def"}, urlconf="config.urls_tenant")
    assert handoff_url(subdomain="alfa", token="abc:def").endswith(
        f"alfa.{settings.IMCRM_BASE_DOMAIN}:{settings.IMCRM_PUBLIC_PORT}{expected}"
    )
