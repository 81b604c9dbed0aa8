"""Passwords are hashed with Argon2id (config/hashers.py); a hash made with PBKDF2 before
the switch still signs its owner in and is replaced by an Argon2id hash on that login."""

from __future__ import annotations

from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.utils.crypto import get_random_string
from django_tenants.utils import schema_context

from crm.accounts.models import User

PASSWORD = "Haslo-testowe-123"


def _stored(company_a) -> str:
    with schema_context(company_a.schema_name):
        return User.objects.get(email="szef@alfa.test").password


def test_new_passwords_are_argon2id_at_the_configured_cost(settings):
    settings.PASSWORD_HASHERS = settings.PRODUCTION_PASSWORD_HASHERS

    encoded = make_password(PASSWORD)

    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_an_old_pbkdf2_hash_signs_in_and_is_upgraded_to_argon2id(settings, client_a, company_a, szef):
    settings.PASSWORD_HASHERS = settings.PRODUCTION_PASSWORD_HASHERS
    old = PBKDF2PasswordHasher().encode(PASSWORD, get_random_string(22), iterations=1000)
    with schema_context(company_a.schema_name):
        User.objects.filter(pk=szef.pk).update(password=old)

    wrong = client_a.post("/accounts/login/", {"login": "szef@alfa.test", "password": "zle-haslo-123"})
    assert wrong.status_code == 200 and _stored(company_a) == old  # a wrong password changes nothing

    response = client_a.post("/accounts/login/", {"login": "szef@alfa.test", "password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == "/"
    assert _stored(company_a).startswith("argon2$argon2id$")
    client_a.post("/accounts/logout/")
    again = client_a.post("/accounts/login/", {"login": "szef@alfa.test", "password": PASSWORD})
    assert again.status_code == 302
