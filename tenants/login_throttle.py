"""One throttle for every way of presenting a password (or a second-factor code).

The company login form (allauth), `POST /api/v1/auth/token/`, the Django admin and
the operator console all ask the same three questions: `login_lock()` before
checking anything, `login_failure_record()` after a wrong password or code, and
`login_success_record()` after a right one.

Failures are counted in the Redis cache, whose keys carry the schema (a company's
counters never touch another company's), once per rule of `IMCRM_LOGIN_THROTTLE`:
`account_ip` rules count per typed account *and* client address (a stranger
guessing the Szef's password from elsewhere uses up his own counter, never the
Szef's), `ip` rules count every failure from one address (one address trying many
accounts). A rule that reaches its number of failures locks for its period from
that moment: while locked, the right password is refused too. Each lock sends
`login_locked` once; the activity log (company hosts) and the operator audit log
(public host) record it. When Redis is down the cache fails open and nobody is
throttled (sign-in must keep working).
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Sent once when a rule locks: kwargs request, account, ip, scope ("account_ip" or
# "ip"), failures, seconds.
login_locked = Signal()

DEFAULT_RULES: tuple[tuple[str, int, int], ...] = (
    ("account_ip", 5, 5 * 60),
    ("ip", 10, 60),
    ("ip", 40, 60 * 60),
)
SCOPES = ("account_ip", "ip")


@dataclass(frozen=True)
class Rule:
    scope: str
    failures: int
    seconds: int


@dataclass(frozen=True)
class Lock:
    seconds_left: int

    @property
    def message(self) -> str:
        return login_locked_message(self.seconds_left)


def rules() -> list[Rule]:
    """`IMCRM_LOGIN_THROTTLE`: (scope, failures, seconds) triples."""
    configured = getattr(settings, "IMCRM_LOGIN_THROTTLE", DEFAULT_RULES)
    found = [Rule(scope, int(failures), int(seconds)) for scope, failures, seconds in configured]
    for rule in found:
        if rule.scope not in SCOPES or rule.failures < 1 or rule.seconds < 1:
            raise ValueError(f"IMCRM_LOGIN_THROTTLE: bad rule {rule}")
    return found


def login_locked_message(seconds_left: int) -> str:
    minutes = max(1, math.ceil(seconds_left / 60))
    return _(
        "Zbyt wiele nieudanych prób logowania. Ze względów bezpieczeństwa logowanie jest wstrzymane "
        "na %(minutes)s min (także z poprawnym hasłem). Spróbuj ponownie później albo zresetuj hasło."
    ) % {"minutes": minutes}


def client_address(request: HttpRequest) -> str:
    """The client's IP as allauth sees it (honours ALLAUTH_TRUSTED_PROXY_COUNT, so a
    forged X-Forwarded-For cannot give each guess a new address)."""
    from allauth.account.adapter import get_adapter

    try:
        return str(get_adapter().get_client_ip(request))
    except Exception:
        return str(request.META.get("REMOTE_ADDR") or "?")


def _account(account: str | None) -> str:
    return (account or "").strip().lower()[:254]


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


def _subject(rule: Rule, account: str, ip: str) -> str:
    digest = _digest(account, ip) if rule.scope == "account_ip" else _digest(ip)
    return f"login-throttle:{rule.scope}:{rule.failures}:{rule.seconds}:{digest}"


def login_lock(request: HttpRequest, *, account: str | None) -> Lock | None:
    """The lock in force for this account from this address, or None."""
    ip, name = client_address(request), _account(account)
    keys = [f"{_subject(rule, name, ip)}:lock" for rule in rules()]
    until = max((float(v) for v in cache.get_many(keys).values() if v), default=0.0)
    left = until - time.time()
    return Lock(seconds_left=math.ceil(left)) if left > 0 else None


def _count(key: str, seconds: int) -> int:
    cache.add(key, 0, timeout=seconds)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1


def login_failure_record(request: HttpRequest, *, account: str | None) -> Lock | None:
    """Count one failure; returns the lock when this failure reached a limit."""
    ip, name = client_address(request), _account(account)
    now = time.time()
    locked: Lock | None = None
    for rule in rules():
        subject = _subject(rule, name, ip)
        if _count(f"{subject}:count", rule.seconds) < rule.failures:
            continue
        if not cache.add(f"{subject}:lock", now + rule.seconds, timeout=rule.seconds):
            continue  # already locked (a request that raced past the check)
        cache.delete(f"{subject}:count")
        logger.warning("login locked for %s s: scope %s, account %r, ip %s", rule.seconds, rule.scope, name, ip)
        login_locked.send(
            sender=Rule,
            request=request,
            account=name,
            ip=ip,
            scope=rule.scope,
            failures=rule.failures,
            seconds=rule.seconds,
        )
        if locked is None or rule.seconds > locked.seconds_left:
            locked = Lock(seconds_left=rule.seconds)
    return locked


def login_success_record(request: HttpRequest, *, account: str | None) -> None:
    """A right password (and code): that account's failures from this address are
    forgiven. Per-address counters stay, so successes cannot hide a guessing run."""
    ip, name = client_address(request), _account(account)
    cache.delete_many([f"{_subject(rule, name, ip)}:count" for rule in rules() if rule.scope == "account_ip"])


def login_throttle_reset(request: HttpRequest, *, account: str | None) -> None:
    """After a successful password reset: the account is unlocked from this address."""
    ip, name = client_address(request), _account(account)
    keys = []
    for rule in rules():
        if rule.scope == "account_ip":
            subject = _subject(rule, name, ip)
            keys += [f"{subject}:count", f"{subject}:lock"]
    cache.delete_many(keys)
