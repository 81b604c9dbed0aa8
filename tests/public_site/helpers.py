"""Shared bits of the public-site tests."""

from __future__ import annotations

import itertools
import os
from typing import Any

from django.conf import settings
from django.test import Client

GOOD_PASSWORD = "Zielona-Herbata-77"
_counter = itertools.count()


def unique_subdomain(prefix: str = "firma") -> str:
    return f"{prefix}-{os.getpid() % 10000}-{next(_counter)}"


def signup_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "company_name": "Łódź Śruby Sp. z o.o.",
        "first_name": "Anna",
        "last_name": "Nowak",
        "subdomain": unique_subdomain(),
        "email": "Szef@Lodz-Sruby.test",
        "password": GOOD_PASSWORD,
        "accept_terms": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def public_client(**extra: Any) -> Client:
    return Client(HTTP_HOST=settings.IMCRM_BASE_DOMAIN, **extra)
