"""Signing in and out of the portal, setting and resetting the password, the profile."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.common.ratelimit import client_ip, window_hit, window_used_up
from crm.common.token_pages import customer_page, private
from crm.company.models import CompanySettings
from crm.portal import services, twofa
from crm.portal.auth import (
    PortalRequest,
    portal_account,
    portal_login,
    portal_logout,
    portal_page,
    portal_session_refresh,
    session_hash,
)
from crm.portal.branding import branding_css
from crm.portal.forms import (
    ChangePasswordForm,
    CodeForm,
    LoginForm,
    ResetForm,
    SetPasswordForm,
    TwofaDisableForm,
    TwofaEnableForm,
)
from crm.portal.models import PortalAccount, PortalBranding

LOGIN_LIMIT = (10, 15 * 60)  # failed sign-ins per address
PENDING_ID = "_portal_pending_id"  # password right, 2FA code still to come
PENDING_HASH = "_portal_pending_hash"
PENDING_NEXT = "_portal_pending_next"
SETUP_SECRET = "_portal_totp_setup"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if ok and target.startswith("/portal/") else reverse("portal:home")


@customer_page
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    if request.method == "GET" and portal_account(request) is not None:
        return redirect("portal:home")
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST":
        who = client_ip(request)
        if window_used_up("portal_login", who, LOGIN_LIMIT):
            form.add_error(None, _("Za dużo nieudanych prób. Spróbuj ponownie za kilkanaście minut."))
            status = 429
        elif form.is_valid():
            account = (
                PortalAccount.objects.select_related("contact")
                .filter(contact__email__iexact=form.cleaned_data["email"], contact__portal_enabled=True)
                .first()
            )
            if account is not None and account.password_check(form.cleaned_data["password"]):
                if account.twofa_on:
                    # The second step (login_code): the password is right, the session is not open yet.
                    request.session.cycle_key()
                    request.session[PENDING_ID] = account.pk
                    request.session[PENDING_HASH] = session_hash(account)
                    request.session[PENDING_NEXT] = _next(request)
                    return redirect("portal:login_code")
                portal_login(request, account)
                return HttpResponseRedirect(_next(request))
            window_hit("portal_login", who, LOGIN_LIMIT)
            form.add_error(None, _("Nieprawidłowy e-mail lub hasło."))
            status = 400
        else:
            status = 400
    context = {"form": form, "next": request.GET.get("next", "")}
    return private(render(request, "portal/login.html", context, status=status))


def _pending(request: HttpRequest) -> PortalAccount | None:
    pk = request.session.get(PENDING_ID)
    if not isinstance(pk, int):
        return None
    account = PortalAccount.objects.select_related("contact").filter(pk=pk, contact__portal_enabled=True).first()
    if account is None or not constant_time_compare(str(request.session.get(PENDING_HASH, "")), session_hash(account)):
        return None
    return account


@customer_page
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in for an account with 2FA: a code from the app or a recovery code."""
    account = _pending(request)
    if account is None:
        return redirect("portal:login")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        who = client_ip(request)
        if window_used_up("portal_login", who, LOGIN_LIMIT):
            form.add_error(None, _("Za dużo nieudanych prób. Spróbuj ponownie za kilkanaście minut."))
            status = 429
        elif form.is_valid():
            if twofa.twofa_check(account=account, code=form.cleaned_data["code"]):
                target = str(request.session.get(PENDING_NEXT) or reverse("portal:home"))
                portal_login(request, account)
                return HttpResponseRedirect(target)
            window_hit("portal_login", who, LOGIN_LIMIT)
            form.add_error("code", _("Nieprawidłowy kod."))
    return private(render(request, "portal/login_code.html", {"form": form}, status=status))


@customer_page
@require_GET
def brand_css(request: HttpRequest) -> HttpResponse:
    """The company's colour for the portal (public: the login page is branded too)."""
    response = HttpResponse(branding_css(PortalBranding.current()), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable" if request.GET.get("v") else "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@customer_page
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    if portal_account(request) is not None:
        portal_logout(request)
    return redirect("portal:login")


@customer_page
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = ResetForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            who = client_ip(request)
            if window_hit("portal_reset", who, (5, 60 * 60)):
                services.portal_password_reset_send(email=form.cleaned_data["email"])
            return private(render(request, "portal/password_reset_sent.html"))
        return private(render(request, "portal/password_reset.html", {"form": form}, status=400))
    return private(render(request, "portal/password_reset.html", {"form": form}))


@customer_page
@require_http_methods(["GET", "POST"])
def password_set(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    account = services.portal_account_by_token(pk=pk, token=token)
    if account is None:
        return private(render(request, "portal/password_link_invalid.html", status=404))
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.portal_password_set(account=account, password=form.cleaned_data["password1"])
            except ValidationError as exc:
                for message in exc.message_dict.get("password1", exc.messages):
                    form.add_error("password1", message)
            else:
                portal_login(request, account)
                messages.success(request, _("Hasło zapisane. Witamy w portalu."))
                return redirect("portal:home")
        return private(render(request, "portal/password_set.html", {"form": form, "account": account}, status=400))
    return private(render(request, "portal/password_set.html", {"form": form, "account": account}))


@portal_page()
@require_http_methods(["GET", "POST"])
def profile(request: PortalRequest) -> HttpResponse:
    account = request.portal_account
    form = ChangePasswordForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.portal_password_change(
                    account=account, old=form.cleaned_data["old_password"], new=form.cleaned_data["password1"]
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                portal_session_refresh(request, account)
                messages.success(request, _("Hasło zostało zmienione."))
                return redirect("portal:profile")
    context = {"form": form, "account": account, "disable_form": TwofaDisableForm()}
    return render(request, "portal/profile.html", context, status=status)


@portal_page()
@require_http_methods(["GET", "POST"])
def twofa_setup(request: PortalRequest) -> HttpResponse:
    """Switch 2FA on: scan the key, type a code; the recovery codes are shown once."""
    account = request.portal_account
    if account.twofa_on:
        return redirect("portal:profile")
    secret = request.session.get(SETUP_SECRET)
    if not isinstance(secret, str) or not secret:
        secret = request.session[SETUP_SECRET] = twofa.new_secret()
    form = TwofaEnableForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                codes = twofa.twofa_enable(account=account, secret=secret, code=form.cleaned_data["code"])
            except ValidationError as exc:
                for error in exc.messages:
                    form.add_error("code", error)
            else:
                request.session.pop(SETUP_SECRET, None)
                messages.success(request, _("Weryfikacja dwuetapowa jest włączona."))
                return private(render(request, "portal/twofa_codes.html", {"codes": codes}))
    company = request.tenant if hasattr(request, "tenant") else None
    url = twofa.totp_url(secret=secret, account=account, issuer=getattr(company, "name", "") or "ImCRM")
    context = {"form": form, "secret": secret, "qr": mark_safe(twofa.totp_svg(url))}  # noqa: S308 (our own SVG)
    return private(render(request, "portal/twofa_setup.html", context, status=status))


@portal_page()
@require_POST
def twofa_disable(request: PortalRequest) -> HttpResponse:
    account = request.portal_account
    form = TwofaDisableForm(request.POST)
    if form.is_valid():
        try:
            twofa.twofa_disable(account=account, password=form.cleaned_data["password"])
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(request, _("Weryfikacja dwuetapowa jest wyłączona."))
    else:
        messages.error(request, _("Podaj hasło, aby wyłączyć weryfikację dwuetapową."))
    return redirect("portal:profile")


@portal_page()
@require_GET
def personal_data(request: PortalRequest) -> HttpResponse:
    data = services.portal_personal_data(account=request.portal_account)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
    return response


@customer_page
@require_GET
def logo(request: HttpRequest) -> HttpResponse:
    """The company's logo for the portal, also on its sign-in page (public, like the colour).
    Only this host's company: its settings row lives in the company's own schema and its
    file in the company's own storage folder. Stored logos are always PNGs we wrote
    (crm/settings/services.py logo_prepare)."""
    obj = CompanySettings.current()
    if not obj.logo:
        raise Http404
    try:
        with obj.logo.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = HttpResponse(content, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "public, max-age=300"
    return response
