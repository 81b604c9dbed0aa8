from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.storage import storages
from django_tenants.utils import schema_context

from crm.accounts.models import User
from crm.contracts.models import Contract
from crm.contracts.services import contract_send
from tests.crm.contracts.factories import contract_make


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> Iterator[None]:
    """Each test stores files in its own MEDIA_ROOT (django-tenants' storage caches it)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    storages["default"].__dict__.pop("relative_media_root", None)
    yield
    storages["default"].__dict__.pop("relative_media_root", None)


@pytest.fixture
def sent_contract(company_a: Any, szef: User) -> Callable[..., Contract]:
    """`sent_contract(**contract_make kwargs)`: a draft owned by the Szef of company A, sent
    for signature to umowy@klient.test (the e-mail is in `mail.outbox`)."""

    def make(**kwargs: Any) -> Contract:
        with schema_context(company_a.schema_name):
            kwargs.setdefault("actor", szef)
            contract = contract_make(**kwargs)
            return contract_send(contract=contract, actor=szef, to="umowy@klient.test")

    return make
