"""One HTTP POST of a signed delivery, refusing addresses inside the network (SSRF).

The signature follows Stripe's scheme: the receiver reads `ImCRM-Timestamp` (Unix
seconds) and computes HMAC-SHA256 with the endpoint's secret over
`"<timestamp>.<raw body>"`; `ImCRM-Signature` is `v1=<hex digest>`. It compares in
constant time and refuses timestamps older than a few minutes (replays).

The host is resolved here and every address checked: private, loopback, link-local,
multicast, reserved and unspecified ones are refused unless `WEBHOOKS_ALLOW_PRIVATE`
(the tests' local receivers). The connection then goes to the checked address (the
name is kept for the Host header and TLS), so a second DNS answer cannot point it
elsewhere; redirects are never followed (a 3xx is a failed attempt).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
RESPONSE_KEPT = 2000
USER_AGENT = "ImCRM-Webhooks/1"


class AddressRefused(Exception):
    """The URL points inside the network (or nowhere)."""


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    duration_ms: int
    response: str
    error: str


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"v1={mac.hexdigest()}"


def _refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def address_resolve(url: str) -> str:
    """The address to connect to; AddressRefused for a URL inside the network."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused(_("Adres musi zaczynać się od http:// albo https://."))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise AddressRefused(_("Nie można znaleźć serwera %(host)s.") % {"host": parts.hostname}) from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise AddressRefused(_("Nie można znaleźć serwera %(host)s.") % {"host": parts.hostname})
    if not getattr(settings, "WEBHOOKS_ALLOW_PRIVATE", False) and any(_refused(ip) for ip in addresses):
        raise AddressRefused(_("Adres wskazuje na sieć wewnętrzną; webhooki wysyłamy tylko do publicznych serwerów."))
    return str(addresses[0])


def post_signed(*, url: str, secret: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST `body` to `url`, signed; never raises for a network problem (the answer says)."""
    started = time.monotonic()

    def _ms() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        ip = address_resolve(url)
    except AddressRefused as exc:
        return Answer(status_code=None, duration_ms=_ms(), response="", error=str(exc))
    parts = urlsplit(url)
    host_ip = f"[{ip}]" if ":" in ip else ip
    netloc = f"{host_ip}:{parts.port}" if parts.port else host_ip
    pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    timestamp = int(time.time())
    all_headers = {
        **headers,
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Host": parts.netloc.rsplit("@", 1)[-1],
        "ImCRM-Timestamp": str(timestamp),
        "ImCRM-Signature": signature(secret=secret, timestamp=timestamp, body=body),
    }
    extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
    try:
        with httpx.Client(timeout=TIMEOUT, follow_redirects=False, trust_env=False) as client:
            response = client.post(pinned, content=body, headers=all_headers, extensions=extensions)
    except httpx.HTTPError as exc:
        return Answer(status_code=None, duration_ms=_ms(), response="", error=str(exc)[:300] or type(exc).__name__)
    return Answer(
        status_code=response.status_code,
        duration_ms=_ms(),
        response=response.text[:RESPONSE_KEPT],
        error="",
    )
