"""The public web-to-lead form: /forms/<slug>/ on the company's own host, no login.

The page can be shown in an <iframe> on the company's website, or the website can post a
plain HTML form (or fetch) here from its own origin. CSRF is handled on purpose:

- the view is `csrf_exempt`: a visitor of another site has no CSRF cookie of ours, and
  the view acts for nobody (no session is used; it only adds a lead, like a contact form),
  so there is nothing a forged request could do that a real visitor could not;
- a POST that carries an `Origin` must come from the company host itself or from one of
  the sites Szef listed on the form (403 otherwise); those sites also get CORS headers
  (`Access-Control-Allow-Origin`, preflight answered) so a fetch from them can read the
  answer, and only they may frame the page (CSP `frame-ancestors`);
- spam: a hidden honeypot field (a filled one is thanked and dropped), a limit per
  address (`IMCRM_LEAD_FORM_LIMIT`, default 5 submissions in 10 minutes: 429), no
  third-party captcha.

Marked like the customers' token pages (crm.common.token_pages.customer_page): usable while
the company is read-only, outside the staff IP list and 2FA; refused while suspended.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from crm.common.ratelimit import client_ip, window_hit
from crm.common.token_pages import customer_page, private
from crm.leads.models import WebForm, WebFormField
from crm.leads.webforms import webform_submit
from tenants.selectors import company_active

HONEYPOT = "website"
DEFAULT_LIMIT = (5, 10 * 60)
LABELS = dict(WebFormField.choices)


def _form_for(slug: str) -> WebForm:
    form = WebForm.objects.filter(slug=slug[:60], active=True).first()
    if form is None:
        raise Http404
    return form


def _origin(request: HttpRequest) -> str:
    return (request.headers.get("Origin") or "").strip().rstrip("/").lower()


def _own_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}".lower()


def _origin_allowed(request: HttpRequest, form: WebForm) -> bool:
    origin = _origin(request)
    return not origin or origin == _own_origin(request) or origin in form.origins


def _cors(request: HttpRequest, form: WebForm, response: HttpResponse) -> HttpResponse:
    origin = _origin(request)
    if origin and origin in form.origins:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type, Accept"
        response["Access-Control-Max-Age"] = "600"
        response["Vary"] = "Origin"
    # The company's own sites (and the company host) may show the form in a frame.
    response.xframe_options_exempt = True
    response._csp_replace = {"frame-ancestors": ["'self'", *form.origins]}  # type: ignore[attr-defined]
    return private(response)


def _fields(form: WebForm) -> list[dict[str, Any]]:
    rows = [{"key": "name", "label": _("Imię i nazwisko"), "required": True}]
    rows += [{"key": key, "label": LABELS[key], "required": key in form.required_fields} for key in form.fields]
    return rows


def _page(
    request: HttpRequest,
    form: WebForm,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    thanks: bool = False,
    status: int = 200,
) -> HttpResponse:
    company = company_active()
    context = {
        "form": form,
        "fields": _fields(form),
        "values": values or {},
        "errors": errors or {},
        "thanks": thanks,
        "honeypot": HONEYPOT,
        "company_name": company.name if company is not None else "",
    }
    return render(request, "leads/public/form.html", context, status=status)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _answer(
    request: HttpRequest, form: WebForm, *, status: int, errors: dict[str, list[str]] | None = None, **page: Any
) -> HttpResponse:
    if _wants_json(request):
        body: dict[str, Any] = {"ok": status < 400}
        if errors:
            body["errors"] = errors
        if status < 400:
            body["message"] = form.thanks_text or _("Dziękujemy! Odezwiemy się wkrótce.")
        return _cors(request, form, JsonResponse(body, status=status))
    return _cors(request, form, _page(request, form, errors=errors, status=status, **page))


@customer_page
@csrf_exempt
@require_http_methods(["GET", "POST", "OPTIONS"])
def lead_form_public(request: HttpRequest, slug: str) -> HttpResponse:
    form = _form_for(slug)
    if request.method == "OPTIONS":
        if not _origin_allowed(request, form):
            return HttpResponse(status=403)
        return _cors(request, form, HttpResponse(status=204))
    if request.method == "GET":
        return _cors(request, form, _page(request, form))
    if not _origin_allowed(request, form):
        return JsonResponse({"ok": False, "error": _("Ta strona nie może wysyłać tego formularza.")}, status=403)
    count, seconds = getattr(settings, "IMCRM_LEAD_FORM_LIMIT", DEFAULT_LIMIT)
    if not window_hit(f"lead_form_{form.pk}", client_ip(request), (int(count), int(seconds))):
        response = _answer(request, form, status=429, errors={"form": [_("Zbyt wiele zgłoszeń. Spróbuj później.")]})
        response["Retry-After"] = str(seconds)
        return response
    if request.POST.get(HONEYPOT):
        return _answer(request, form, status=200, thanks=True)  # a robot: thanked, nothing saved
    values = {key: request.POST.get(key, "")[:5000] for key in ("name", *form.fields)}
    try:
        webform_submit(form=form, data=values)
    except ValidationError as exc:
        return _answer(request, form, status=400, errors=exc.message_dict, values=values)
    return _answer(request, form, status=200, thanks=True)
