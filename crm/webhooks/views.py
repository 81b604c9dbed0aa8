"""Settings > Webhooki, /settings/webhooks/ (namespace `webhooks`, Szef only)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from crm.accounts.access import szef_required
from crm.common.errors import form_apply_validation_error
from crm.common.types import AuthedRequest
from crm.webhooks import services
from crm.webhooks.events import EVENTS
from crm.webhooks.forms import WebhookEndpointForm
from crm.webhooks.models import WebhookDelivery, WebhookEndpoint

LIST_URL = "webhooks:list"


def _render(request: AuthedRequest, template: str, ctx: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {**ctx, "settings_active": LIST_URL}, status=status)


def _secret_page(request: AuthedRequest, endpoint: WebhookEndpoint, secret: str) -> HttpResponse:
    return _render(request, "webhooks/secret.html", {"endpoint": endpoint, "secret": secret})


@szef_required
def endpoint_list(request: AuthedRequest) -> HttpResponse:
    endpoints = list(WebhookEndpoint.objects.all())
    deliveries = list(WebhookDelivery.objects.select_related("endpoint").prefetch_related("attempts")[:50])
    return _render(
        request, "webhooks/list.html", {"endpoints": endpoints, "deliveries": deliveries, "event_labels": EVENTS}
    )


@szef_required
@require_http_methods(["GET", "POST"])
def endpoint_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk) if pk is not None else None
    initial: dict[str, Any] = {"active": True}
    if endpoint is not None:
        initial = {
            "url": endpoint.url,
            "description": endpoint.description,
            "events": endpoint.events,
            "active": endpoint.active,
        }
    form = WebhookEndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if endpoint is None:
                endpoint, secret = services.endpoint_create(actor=request.user, **data)
            else:
                services.endpoint_update(endpoint=endpoint, actor=request.user, **data)
                secret = ""
        except ValidationError as exc:
            form_apply_validation_error(form, exc)
        else:
            if secret:
                return _secret_page(request, endpoint, secret)
            messages.success(request, _("Zapisano webhook."))
            return HttpResponseRedirect(reverse(LIST_URL))
    status = 400 if form.is_bound and form.errors else 200
    return _render(request, "webhooks/form.html", {"form": form, "endpoint": endpoint}, status)


@szef_required
@require_http_methods(["GET", "POST"])
def endpoint_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    if request.method == "POST":
        services.endpoint_delete(endpoint=endpoint, actor=request.user)
        messages.success(request, _("Usunięto webhook."))
        return HttpResponseRedirect(reverse(LIST_URL))
    return _render(request, "webhooks/delete.html", {"endpoint": endpoint})


@szef_required
@require_POST
def endpoint_secret(request: AuthedRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    secret = services.endpoint_secret_regenerate(endpoint=endpoint, actor=request.user)
    return _secret_page(request, endpoint, secret)


@szef_required
@require_POST
def endpoint_test(request: AuthedRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    delivery = services.test_event_send(endpoint=endpoint, actor=request.user)
    messages.success(request, _("Wysłano zdarzenie testowe; odpowiedź pojawi się na liście dostaw."))
    return HttpResponseRedirect(reverse("webhooks:delivery", args=[delivery.pk]))


@szef_required
def delivery_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("endpoint"), pk=pk)
    return _render(request, "webhooks/delivery.html", {"delivery": delivery, "attempts": list(delivery.attempts.all())})


@szef_required
@require_POST
def delivery_replay(request: AuthedRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    copy = services.delivery_replay(delivery=delivery, actor=request.user)
    messages.success(request, _("Zdarzenie wysłane ponownie."))
    return HttpResponseRedirect(reverse("webhooks:delivery", args=[copy.pk]))
