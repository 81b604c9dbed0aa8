"""Error answers of both hosts (handler403/404/500 of config/urls_tenant.py and
config/urls_public.py): the branded pages templates/403.html, 404.html, 500.html in
the visitor's language, and JSON for the API (`/api/...`), which callers parse."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403 with the reason the refusing code gave (a service's PermissionDenied message)."""
    reason = str(exception.args[0]) if exception.args else ""
    if _is_api(request):
        return JsonResponse({"detail": reason or _("Nie masz uprawnień do tej operacji.")}, status=403)
    html = loader.render_to_string("403.html", {"reason": reason}, request=request)
    return HttpResponse(html, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 that says nothing about what was looked for (no model names, no ids)."""
    if _is_api(request):
        return JsonResponse({"detail": _("Nie znaleziono.")}, status=404)
    return HttpResponse(loader.render_to_string("404.html", {}, request=request), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 rendered without context processors: they may need the database that just failed."""
    if _is_api(request):
        return JsonResponse({"detail": _("Wystąpił błąd serwera. Spróbuj ponownie za chwilę.")}, status=500)
    return defaults.server_error(request)
