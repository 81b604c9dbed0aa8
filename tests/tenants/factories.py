"""Factories for companies and their domains (public schema).

`CompanyFactory` goes through `tenant_provision`, the one service behind signup, the
command and the tests: the company gets its schema, domain, default categories, trial
and a Szef (`szef@<subdomain>.test`, password `PASSWORD`). A schema is expensive: use the
session's `company_a`/`company_b` unless the test needs a company of its own."""

from __future__ import annotations

import itertools
import os
from typing import Any

import factory
from django.conf import settings

from tenants.db import connection
from tenants.models import Company, Domain
from tenants.services import tenant_provision
from tests.support.companies import PASSWORD

_counter = itertools.count(1)


def _subdomain() -> str:
    return f"firma-{os.getpid() % 10000}-{next(_counter)}"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Firma Testowa {n} Sp. z o.o.")
    subdomain = factory.LazyFunction(_subdomain)

    @classmethod
    def _create(cls, model_class: type[Company], *args: Any, **kwargs: Any) -> Company:
        connection.set_schema_to_public()
        sub = kwargs.pop("subdomain")
        company = tenant_provision(
            name=kwargs.pop("name"),
            subdomain=sub,
            email=kwargs.pop("email", f"szef@{sub}.test"),
            password=PASSWORD,
            owner_name=kwargs.pop("owner_name", "Szef Testowy"),
            check_password=False,
        ).company
        if kwargs:
            Company.objects.filter(pk=company.pk).update(**kwargs)
            company.refresh_from_db()
        return company


class DomainFactory(factory.django.DjangoModelFactory):
    """Another host name of an existing company (`tenant=` is required)."""

    class Meta:
        model = Domain

    domain = factory.Sequence(lambda n: f"alias-{os.getpid() % 10000}-{n}.{settings.IMCRM_BASE_DOMAIN}")
    is_primary = False
