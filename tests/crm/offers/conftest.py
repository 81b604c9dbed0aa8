from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django_tenants.utils import schema_context

from crm.accounts.models import User
from crm.offers.models import Offer
from crm.offers.services import offer_send
from tenants.routing import tenant_lookup_invalidate
from tests.crm.offers.factories import offer_make


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> Iterator[None]:
    from django.core.files.storage import storages

    settings.MEDIA_ROOT = str(tmp_path / "media")
    storages["default"].__dict__.pop("relative_media_root", None)
    yield
    storages["default"].__dict__.pop("relative_media_root", None)


@pytest.fixture
def fresh_companies(companies: Any) -> Iterator[None]:
    """For tests that change company A's status inside the rolled-back transaction: the
    host lookup and the session-wide Company objects do not keep the change."""
    saved = [(company, dict(company.__dict__)) for company in (companies.a, companies.b)]
    tenant_lookup_invalidate()
    yield
    tenant_lookup_invalidate()
    for company, state in saved:
        company.__dict__.clear()
        company.__dict__.update(state)


@pytest.fixture
def sent_offer(company_a: Any, szef: User) -> Callable[..., Offer]:
    """`sent_offer(**offer_make kwargs)`: a draft owned by the Szef of company A, sent to
    zakupy@klient.test (the e-mail is in `mail.outbox`)."""

    def make(**kwargs: Any) -> Offer:
        with schema_context(company_a.schema_name):
            kwargs.setdefault("actor", szef)
            offer = offer_make(**kwargs)
            return offer_send(offer=offer, actor=szef, to="zakupy@klient.test")

    return make
