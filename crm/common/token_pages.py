"""Pages a company's customer opens from a link with a secret token, without signing in
(an offer's /o/<token>/, a contract's /c/<token>/), and the public knowledge base.

- `customer_page`: the access markers of such pages (crm.common.policy; reviewed in
  tests/security/test_access_policy.py): usable while the company is read-only (the
  customer's answer is not staff work), outside the allowed-IP list and 2FA, which guard
  staff; refused while the company is suspended.
- `TokenGuard.find`: the record of a token, rate-limited per address: every request
  counts, and a few unknown tokens close the door for a while (429) even for a right one.
- `private`: such a page is kept out of search engines and caches, and its address (the
  token) never goes to another site as a referrer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from crm.common.policy import allowed_when_read_only, exempt_from_ip_allowlist, exempt_from_mfa
from crm.common.ratelimit import Limit, client_ip, window_hit, window_used_up

T = TypeVar("T")


def customer_page(view: Any) -> Any:
    return allowed_when_read_only(exempt_from_ip_allowlist(exempt_from_mfa(view)))


def private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    # "same-origin", not "no-referrer": with that Chromium posts the page's forms with
    # "Origin: null", which CSRF refuses.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


@dataclass(frozen=True)
class TokenGuard:
    """Rate limits of one kind of token page: scopes `<scope>` (requests of one address)
    and `<scope>_miss` (unknown tokens it may try), overridable in the setting named
    `settings_name` ({scope: (count, seconds)})."""

    scope: str
    settings_name: str
    requests: Limit = (120, 10 * 60)
    misses: Limit = (10, 60 * 60)

    def limit(self, scope: str) -> Limit:
        defaults = {self.scope: self.requests, f"{self.scope}_miss": self.misses}
        overrides: dict[str, Limit] = getattr(settings, self.settings_name, {}) or {}
        count, seconds = overrides.get(scope, defaults[scope])
        return int(count), int(seconds)

    def too_many(self, request: HttpRequest) -> HttpResponse:
        response = render(request, "429.html", status=429)
        response["Retry-After"] = str(self.limit(f"{self.scope}_miss")[1])
        return response

    def find(self, request: HttpRequest, token: str, lookup: Callable[[str], T | None]) -> T | HttpResponse:
        """The record `lookup(token)` gives, or the 429 to answer instead; Http404 when none."""
        who, miss = client_ip(request), f"{self.scope}_miss"
        if window_used_up(miss, who, self.limit(miss)):
            return self.too_many(request)
        if not window_hit(self.scope, who, self.limit(self.scope)):
            return self.too_many(request)
        found = lookup(token)
        if found is None:
            window_hit(miss, who, self.limit(miss))
            raise Http404
        return found
