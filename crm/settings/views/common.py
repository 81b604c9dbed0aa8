from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def settings_render(
    request: HttpRequest, template: str, context: dict[str, Any], *, active: str, status: int = 200
) -> HttpResponse:
    """A Settings page whose menu entry is `active` (a page of a section marks its section)."""
    return render(request, template, {**context, "settings_active": active}, status=status)
