"""Encrypting secrets kept in a company's settings (the SMTP password, the KSeF token,
the keys of the company's own payment gateway).

Fernet with a key derived by HKDF from `FIELD_ENCRYPTION_KEY` (env), or from SECRET_KEY
when that is not set, so the database alone (a dump, a backup) does not reveal a secret.
Secrets written under SECRET_KEY stay readable after FIELD_ENCRYPTION_KEY is introduced
(decryption tries both). Losing the key makes stored secrets unreadable: `secret_decrypt`
then returns None and Settings asks for them again.
"""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


@cache
def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"imcrm-settings", info=b"company secrets v1").derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _keys() -> MultiFernet:
    """The key encrypting new secrets first, then the one older secrets may use."""
    primary = getattr(settings, "FIELD_ENCRYPTION_KEY", "") or settings.SECRET_KEY
    keys = [_fernet(primary)]
    if primary != settings.SECRET_KEY:
        keys.append(_fernet(settings.SECRET_KEY))
    return MultiFernet(keys)


def secret_encrypt(plain: str) -> str:
    if not plain:
        return ""
    return _keys().encrypt(plain.encode()).decode()


def secret_decrypt(token: str) -> str | None:
    """The plain secret; "" when none is stored; None when it cannot be decrypted."""
    if not token:
        return ""
    try:
        return _keys().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None
