"""Factories for staff, invitations and API tokens (call inside a company schema:
`with schema_context(company.schema_name): UserFactory(role=Role.KIEROWNIK)`)."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from crm.accounts.models import ApiToken, Invitation, Role, User
from crm.accounts.services import token_hash
from crm.accounts.tokens import api_token_hash
from tests.support.companies import PASSWORD


class UserFactory(factory.django.DjangoModelFactory):
    """A member of staff with the test password (`PASSWORD`); pass `password=` for another."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"osoba{n}@firma.test")
    name = factory.Sequence(lambda n: f"Osoba Testowa {n}")
    role = Role.PRACOWNIK

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, password: str = PASSWORD, **kwargs: Any) -> User:
        return model_class.objects.create_user(kwargs.pop("email"), password, **kwargs)


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation; its link token is `invitation.token` (set on the built object only)."""

    class Meta:
        model = Invitation
        exclude = ("token",)

    email = factory.Sequence(lambda n: f"zaproszony{n}@firma.test")
    role = Role.PRACOWNIK
    token = factory.Sequence(lambda n: f"zaproszenie-testowe-{n}")
    token_hash = factory.LazyAttribute(lambda o: token_hash(o.token))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A named API token; the key for `Authorization: Token KEY` is the `key` argument."""

    class Meta:
        model = ApiToken
        exclude = ("key",)

    user = factory.SubFactory(UserFactory)
    name = "test"
    key = factory.Sequence(lambda n: hashlib.sha256(f"imcrm-test-token-{n}".encode()).hexdigest()[:40])
    key_hash = factory.LazyAttribute(lambda o: api_token_hash(o.key))
    prefix = factory.LazyAttribute(lambda o: o.key[:8])
