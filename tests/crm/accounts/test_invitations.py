"""Inviting staff: a single-use link valid 7 days; the person sets a password (min 8)."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context
from freezegun import freeze_time

from crm.accounts.models import Invitation, Role, User
from crm.accounts.services import StaffError, invitation_accept, invitation_create
from tests.support.companies import company_on_plan_with_limits


def _invite(client, email="nowy@alfa.test", role="kierownik", name="Nowa Osoba"):
    response = client.post("/settings/users/", {"email": email, "role": role, "name": name})
    assert response.status_code == 302, response.content.decode()[:2000]
    message = mail.outbox[-1]
    link = re.search(r"https?://\S+/accounts/invite/\S+/", message.body).group(0)
    assert urlsplit(link).hostname == "alfa.imcrm.localhost"  # the company's own host
    return urlsplit(link).path, message


def test_szef_invites_by_email_and_the_person_joins_with_the_rank(client_a, szef, company_a):
    client_a.login_as(szef)
    path, message = _invite(client_a)
    assert message.to == ["nowy@alfa.test"]
    assert "Alfa" in message.subject
    assert "7 dniach" in message.body
    client_a.logout()
    page = client_a.get(path)
    assert page.status_code == 200
    assert "nowy@alfa.test" in page.content.decode()
    response = client_a.post(
        path, {"name": "Nowa Osoba", "password1": "Bardzo-dobre-42", "password2": "Bardzo-dobre-42"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert client_a.get("/").status_code == 200  # signed in
    with schema_context(company_a.schema_name):
        user = User.objects.get(email="nowy@alfa.test")
        assert user.role == Role.KIEROWNIK and user.is_active and user.check_password("Bardzo-dobre-42")


def test_invitation_link_works_only_once(client_a, szef):
    path, _message = _invite(client_a.login_as(szef))
    client_a.logout()
    client_a.post(path, {"password1": "Bardzo-dobre-42", "password2": "Bardzo-dobre-42"})
    client_a.logout()
    again = client_a.get(path)
    assert again.status_code == 410
    assert "zostało już wykorzystane" in again.content.decode()
    assert client_a.post(path, {"password1": "Inne-haslo-999", "password2": "Inne-haslo-999"}).status_code == 410


def test_invitation_expires_after_seven_days(client_a, szef, company_a):
    path, _message = _invite(client_a.login_as(szef))
    client_a.logout()
    with freeze_time(timezone.now() + timedelta(days=6, hours=23)):
        assert client_a.get(path).status_code == 200
    with freeze_time(timezone.now() + timedelta(days=7, minutes=1)):
        expired = client_a.get(path)
        assert expired.status_code == 410
        assert "wygasło" in expired.content.decode()
        client_a.post(path, {"password1": "Bardzo-dobre-42", "password2": "Bardzo-dobre-42"})
    with schema_context(company_a.schema_name):
        assert not User.objects.filter(email="nowy@alfa.test").exists()


@pytest.mark.parametrize(
    ("p1", "p2", "message"),
    [
        ("krotkie", "krotkie", "przynajmniej 8"),
        ("Bardzo-dobre-42", "Inne-haslo-42", "Hasła się różnią"),
        ("12345678901", "12345678901", "wyłącznie z cyfr"),
    ],
)
def test_weak_or_mismatched_password_is_refused(client_a, szef, company_a, p1, p2, message):
    path, _message = _invite(client_a.login_as(szef))
    client_a.logout()
    response = client_a.post(path, {"password1": p1, "password2": p2})
    assert response.status_code == 400
    assert message in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not User.objects.filter(email="nowy@alfa.test").exists()
    assert client_a.get(path).status_code == 200  # the link still works after a typo


def test_unknown_invitation_link_is_404(client_a):
    assert client_a.get("/accounts/invite/nie-ma-takiego/").status_code == 404


def test_revoked_invitation_no_longer_works(client_a, szef, company_a):
    path, _message = _invite(client_a.login_as(szef))
    with schema_context(company_a.schema_name):
        invitation = Invitation.objects.get(email="nowy@alfa.test")
    assert client_a.post(f"/settings/invitations/{invitation.pk}/revoke/").status_code == 302
    client_a.logout()
    assert client_a.get(path).status_code == 410


def test_inviting_an_existing_staff_member_is_refused(client_a, szef):
    response = client_a.login_as(szef).post("/settings/users/", {"email": "PRACOWNIK@alfa.test", "role": "pracownik"})
    assert response.status_code == 400
    assert "ma już konto w firmie" in response.content.decode()


def test_bad_invitation_input_is_refused_and_nothing_is_sent(client_a, szef, company_a):
    client_a.login_as(szef)
    for data in ({"email": "nie-adres", "role": "pracownik"}, {"email": "a@alfa.test", "role": "prezes"}):
        assert client_a.post("/settings/users/", data).status_code == 400
    assert mail.outbox == []
    with schema_context(company_a.schema_name):
        assert not Invitation.objects.exists()


def test_invitation_respects_the_seat_limit(client_a, szef, company_a):
    with schema_context(company_a.schema_name):
        seats = User.objects.filter(is_active=True).count()
    company_on_plan_with_limits(company_a, seat_limit=seats)
    response = client_a.login_as(szef).post("/settings/users/", {"email": "x@alfa.test", "role": "pracownik"})
    assert response.status_code == 400
    assert "ten limit jest już wykorzystany" in response.content.decode()
    with schema_context(company_a.schema_name):
        assert not Invitation.objects.exists()


def test_a_new_invitation_replaces_the_pending_one(company_a):
    with schema_context(company_a.schema_name):
        first = invitation_create(email="x@alfa.test", role="pracownik", invited_by=None)
        invitation_create(email="x@alfa.test", role="kierownik", invited_by=None)
        with pytest.raises(StaffError):
            invitation_accept(token=first.token, password="Bardzo-dobre-42")


def test_invitation_of_company_a_does_not_work_on_company_b(client_a, client_b, szef, company_b):
    path, _message = _invite(client_a.login_as(szef))
    assert client_b.get(path).status_code == 404
    client_b.post(path, {"password1": "Bardzo-dobre-42", "password2": "Bardzo-dobre-42"})
    with schema_context(company_b.schema_name):
        assert not User.objects.filter(email="nowy@alfa.test").exists()


def test_api_invites_and_revokes(client_a, szef, company_a):
    client_a.login_as(szef)
    created = client_a.post("/api/v1/settings/invitations/", {"email": "api@alfa.test", "role": "pracownik"})
    assert created.status_code == 201
    assert mail.outbox[-1].to == ["api@alfa.test"]
    refused = client_a.post("/api/v1/settings/invitations/", {"email": "szef@alfa.test", "role": "pracownik"})
    assert refused.status_code == 400
    assert client_a.delete(f"/api/v1/settings/invitations/{created.json()['id']}/").status_code == 204
    with schema_context(company_a.schema_name):
        assert Invitation.objects.get(pk=created.json()["id"]).revoked_at is not None
