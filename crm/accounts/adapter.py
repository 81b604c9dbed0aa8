from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class StaffAccountAdapter(DefaultAccountAdapter):
    """Staff join a company by invitation only; companies sign up on the public site."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
