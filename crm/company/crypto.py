"""Encrypting secrets kept in a company's settings (the SMTP password).

Fernet with a key derived from SECRET_KEY by HKDF, so the database alone (a dump,
a backup) does not reveal the password. Rotating SECRET_KEY makes stored secrets
unreadable: `secret_decrypt` then returns None and Settings asks for them again.
"""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


@cache
def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"imcrm-settings", info=b"company secrets v1").derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def secret_encrypt(plain: str) -> str:
    if not plain:
        return ""
    return _fernet(settings.SECRET_KEY).encrypt(plain.encode()).decode()


def secret_decrypt(token: str) -> str | None:
    """The plain secret; "" when none is stored; None when it cannot be decrypted."""
    if not token:
        return ""
    try:
        return _fernet(settings.SECRET_KEY).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None
