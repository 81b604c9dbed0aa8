"""API tokens: issuing, finding by key, revoking.

A key is 40 random hex characters, shown once; the database keeps its SHA-256 hash
(a stolen backup holds no usable key) and its first 8 characters (to tell tokens
apart on the profile page). A person may hold several tokens; past
`MAX_TOKENS_PER_USER` the least recently used one is revoked to make room.

Tokens end when the person revokes them (profile page, API), when Szef revokes them
(Settings > Users, API), when the password changes or two-factor authentication is
switched on (`crm.accounts.models.User.save`, `crm.accounts.signals`), and at logout
or deactivation (`tenants.security.user_sessions_end`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import ApiToken, User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record

KEY_BYTES = 20
MAX_TOKENS_PER_USER = 20
LAST_USED_EVERY = timedelta(minutes=1)  # `last_used_at` is written at most this often
NAME_MAX = 100


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # the only moment the key exists outside the client


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: User, name: str = "") -> IssuedToken:
    key = secrets.token_hex(KEY_BYTES)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one issuer at a time per person
        by_recent_use = api_tokens_of(user=user).order_by(Coalesce("last_used_at", "created_at").desc(), "-id")
        doomed = list(by_recent_use.values_list("pk", flat=True)[MAX_TOKENS_PER_USER - 1 :])
        if doomed:
            ApiToken.objects.filter(pk__in=doomed).delete()
        token = ApiToken.objects.create(
            user=user,
            name=(name or "").strip()[:NAME_MAX] or _("Token API"),
            key_hash=api_token_hash(key),
            prefix=key[:8],
        )
    return IssuedToken(token=token, key=key)


def api_token_for_key(*, key: str) -> ApiToken | None:
    """The token behind a presented key (with its user), or None."""
    if not key or len(key) > 200:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=api_token_hash(key)).first()


def api_token_touch(*, token: ApiToken) -> None:
    """Record a use, at most once per `LAST_USED_EVERY` (one conditional UPDATE)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=now - LAST_USED_EVERY).update(last_used_at=now)
    token.last_used_at = now


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


@transaction.atomic
def api_token_revoke(*, actor: User | None, token: ApiToken) -> None:
    """Revoke `token` (its owner on the profile page or API, or Szef in Settings): one log entry, one wording."""
    ApiToken.objects.filter(pk=token.pk).delete()
    activity_record(
        actor=actor,
        kind=ActivityKind.STAFF,
        obj=token.user,
        code="staff.token_revoked",
        params={"name": token.name, "prefix": token.prefix},
    )


def api_tokens_revoke_all(*, user: User) -> int:
    deleted, _per_model = ApiToken.objects.filter(user_id=user.pk).delete()
    return deleted
