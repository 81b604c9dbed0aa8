"""TOTP codes in tests, deterministic: sign in under `frozen_clock()` (freezegun), so
the 30-second step cannot change between computing a code and checking it, however
busy the machine."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from freezegun import freeze_time


@contextmanager
def frozen_clock(at: datetime | None = None) -> Iterator[datetime]:
    moment = at or datetime.now(UTC)
    with freeze_time(moment):
        yield moment


def totp_code(secret: str, *, steps: int = 0) -> str:
    """The code of `secret` for the current step of the (frozen) clock, or `steps` away."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD + steps))


def totp_wrong_code(secret: str) -> str:
    """A code accepted in none of the steps the server tolerates around now."""
    reach = mfa_settings.TOTP_TOLERANCE + 1
    valid = {totp_code(secret, steps=s) for s in range(-reach, reach + 1)}
    return next(c for c in (f"{n:06d}" for n in range(123456, 1_000_000)) if c not in valid)
