"""Types every layer can name: the user model and the requests views receive.

`AuthUser` is the configured user model (`crm.accounts.models.User`) for mypy, without
this layer importing `crm.accounts` (a higher layer): django-stubs' mypy plugin reads
its placeholder `django.contrib.auth.models._User` as `settings.AUTH_USER_MODEL`, the
same way it types `request.user`. Code above `crm.accounts` may just as well name
`crm.accounts.models.User`; for mypy both are the same class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as AuthUser
else:  # the placeholder exists only in the stubs
    from django.contrib.auth.base_user import AbstractBaseUser as AuthUser

__all__ = ["AuthUser", "AuthedRequest", "HtmxRequest"]


class HtmxRequest(HttpRequest):
    """Any request: `django_htmx.middleware.HtmxMiddleware` (in MIDDLEWARE) adds `htmx`."""

    htmx: HtmxDetails


class AuthedRequest(HtmxRequest):
    """A request behind `login_required` (or the API's authentication): `user` is a
    signed-in user, never `AnonymousUser`."""

    user: AuthUser
