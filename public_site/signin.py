"""Signing in from the public site: type your company's address and go there;
"forgot your address?" mails the list of your companies (the screen answers the
same whatever the e-mail, so it reveals nothing)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from public_site import ratelimit
from public_site.forms import AddressReminderForm, SigninForm
from tenants.queue import enqueue
from tenants.tasks import company_addresses_email_send
from tenants.urls_helpers import company_url

TENANT_URLCONF = "config.urls_tenant"


@require_GET
def signin(request: HttpRequest) -> HttpResponse:
    form = SigninForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return HttpResponseRedirect(
            company_url(form.cleaned_data["subdomain"], reverse("account_login", urlconf=TENANT_URLCONF))
        )
    return render(request, "public_site/signin.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def address_reminder(request: HttpRequest) -> HttpResponse:
    template = "public_site/address_reminder.html"
    if request.method != "POST":
        return render(request, template, {"form": AddressReminderForm()})
    if not ratelimit.hit(request, "address_reminder"):
        problem = _("Zbyt wiele próśb z tego adresu IP. Spróbuj ponownie za godzinę.")
        form = AddressReminderForm(initial={"email": request.POST.get("email", "")[:254]})
        return render(request, template, {"form": form, "problem": problem}, status=429)
    form = AddressReminderForm(request.POST)
    if not form.is_valid():
        return render(request, template, {"form": form})
    email = form.cleaned_data["email"]
    # One inbox gets a few reminders an hour at most, whoever asks; the screen says the same.
    if ratelimit.hit(request, "address_reminder_email", key=email):
        enqueue(company_addresses_email_send, email, get_language() or "pl")
    return redirect("public_site:address_reminder_sent")


@require_GET
def address_reminder_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "public_site/address_reminder_sent.html")
