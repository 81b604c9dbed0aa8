"""Optional 2FA of portal accounts: TOTP (allauth's own TOTP helpers, as staff 2FA) with
ten single-use recovery codes. The key is encrypted like the company's other secrets
(crm.company.crypto); recovery codes are kept as password hashes."""

from __future__ import annotations

import secrets

from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from crm.company.crypto import secret_decrypt, secret_encrypt
from crm.portal.models import PortalAccount

RECOVERY_COUNT = 10
PERIOD = 30


def new_secret() -> str:
    return generate_totp_secret()


def totp_url(*, secret: str, account: PortalAccount, issuer: str) -> str:
    from urllib.parse import quote, urlencode

    label = quote(f"{issuer}:{account.contact.email}")
    return f"otpauth://totp/{label}?{urlencode({'secret': secret, 'issuer': issuer})}"


def totp_svg(url: str) -> str:
    from io import BytesIO

    import qrcode
    from qrcode.image.svg import SvgPathImage

    buf = BytesIO()
    qrcode.make(url, image_factory=SvgPathImage).save(buf)
    svg = buf.getvalue().decode("utf8")
    return svg[svg.find("<svg") :]


def _code_clean(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def code_valid(secret: str, code: str, *, account_pk: int | None = None) -> bool:
    """A current TOTP code of `secret`, not used before by this account (replays refused)."""
    code = _code_clean(code)
    if not code.isdigit() or len(code) != 6:
        return False
    for counter in yield_hotp_counters_from_time():
        if constant_time_compare(format_hotp_value(hotp_value(secret, counter)), code):
            if account_pk is None:
                return True
            return bool(cache.add(f"portal-totp-used:{account_pk}:{counter}", 1, timeout=PERIOD * 4))
    return False


def _recovery_codes() -> list[str]:
    return [secrets.token_hex(5) for _i in range(RECOVERY_COUNT)]


@transaction.atomic
def twofa_enable(*, account: PortalAccount, secret: str, code: str) -> list[str]:
    """Switch 2FA on when `code` proves the app has `secret`; returns the recovery codes
    (shown once)."""
    if account.twofa_on:
        raise ValidationError({"code": _("Weryfikacja dwuetapowa jest już włączona.")})
    if not secret or not code_valid(secret, code, account_pk=account.pk):
        raise ValidationError({"code": _("Nieprawidłowy kod. Sprawdź czas w telefonie i wpisz nowy kod.")})
    codes = _recovery_codes()
    account.totp_secret = secret_encrypt(secret)
    account.recovery_codes = [make_password(c) for c in codes]
    account.save(update_fields=["totp_secret", "recovery_codes"])
    return codes


@transaction.atomic
def twofa_disable(*, account: PortalAccount, password: str) -> None:
    if not account.password_check(password):
        raise ValidationError({"password": _("Hasło jest nieprawidłowe.")})
    account.totp_secret = ""
    account.recovery_codes = []
    account.save(update_fields=["totp_secret", "recovery_codes"])


@transaction.atomic
def twofa_check(*, account: PortalAccount, code: str) -> bool:
    """The second step of signing in: a TOTP code, or a recovery code (used up)."""
    account = PortalAccount.objects.select_for_update().get(pk=account.pk)
    secret = secret_decrypt(account.totp_secret) or ""
    if secret and code_valid(secret, code, account_pk=account.pk):
        return True
    cleaned = _code_clean(code)
    if not cleaned:
        return False
    for stored in list(account.recovery_codes):
        if check_password(cleaned, stored):
            account.recovery_codes = [c for c in account.recovery_codes if c != stored]
            account.save(update_fields=["recovery_codes"])
            return True
    return False
