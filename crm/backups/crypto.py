"""Encryption at rest of stored backups: AES-256-GCM in chunks, so a multi-gigabyte
archive is written and read in constant memory.

Layout: the 8-byte magic `IMCRMEC1`, then chunks, each `flag (1 byte) | length (4 bytes,
big-endian) | nonce (12 bytes) | ciphertext with its 16-byte tag`. The flag is 1 on the
last chunk only. The chunk's index and flag are authenticated (associated data), so
chunks cannot be reordered, dropped or the file cut short without the reader noticing.

The key: `BACKUP_ENCRYPTION_KEY` (settings), or, when empty, one derived from
`SECRET_KEY`; either way SHA-256 of a labelled string gives the 32 key bytes.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Iterator
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

MAGIC = b"IMCRMEC1"
CHUNK = 1024 * 1024
_HEADER = struct.Struct(">BI")
NONCE = 12


class DecryptionError(Exception):
    """The stored archive is damaged or was encrypted with another key."""


def _key() -> bytes:
    secret = getattr(settings, "BACKUP_ENCRYPTION_KEY", "") or f"secret-key:{settings.SECRET_KEY}"
    return hashlib.sha256(b"imcrm-backup-encryption:" + secret.encode()).digest()


def _aad(index: int, last: bool) -> bytes:
    return struct.pack(">QB", index, 1 if last else 0)


class EncryptingWriter:
    """A write-only file object: what is written lands encrypted in `target`.
    zipfile writes through it (it is not seekable, so zipfile uses data descriptors)."""

    def __init__(self, target: IO[bytes]) -> None:
        self._target = target
        self._aes = AESGCM(_key())
        self._buffer = bytearray()
        self._index = 0
        self._closed = False
        target.write(MAGIC)

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._chunk(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def flush(self) -> None:
        self._target.flush()

    def _chunk(self, plain: bytes, *, last: bool) -> None:
        nonce = os.urandom(NONCE)
        sealed = self._aes.encrypt(nonce, plain, _aad(self._index, last))
        self._target.write(_HEADER.pack(1 if last else 0, len(sealed)) + nonce + sealed)
        self._index += 1

    def close(self) -> None:
        if not self._closed:
            self._chunk(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True
            self._target.flush()


def decrypted_chunks(source: IO[bytes]) -> Iterator[bytes]:
    """The plain bytes of an encrypted archive, chunk by chunk; DecryptionError when the
    file is damaged, cut short or made with another key."""
    if source.read(len(MAGIC)) != MAGIC:
        raise DecryptionError("not an encrypted ImCRM backup")
    aes = AESGCM(_key())
    index = 0
    while True:
        header = source.read(_HEADER.size)
        if len(header) < _HEADER.size:
            raise DecryptionError("the archive is cut short")
        flag, length = _HEADER.unpack(header)
        nonce = source.read(NONCE)
        sealed = source.read(length)
        if len(nonce) < NONCE or len(sealed) < length:
            raise DecryptionError("the archive is cut short")
        try:
            plain = aes.decrypt(nonce, sealed, _aad(index, bool(flag)))
        except InvalidTag as exc:
            raise DecryptionError("the archive is damaged or was encrypted with another key") from exc
        yield plain
        index += 1
        if flag:
            if source.read(1):
                raise DecryptionError("data after the last chunk")
            return


def decrypt_to(source: IO[bytes], target: IO[bytes]) -> int:
    size = 0
    for plain in decrypted_chunks(source):
        target.write(plain)
        size += len(plain)
    return size
