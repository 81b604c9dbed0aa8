"""Outgoing webhooks: endpoints (Szef), deliveries made from events (crm.common.events),
attempts with backoff, replay and a test event."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import CharField, F, Func
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.events import Event
from crm.company.crypto import secret_decrypt, secret_encrypt
from crm.company.models import CompanySettings
from crm.webhooks.events import EVENTS, TEST_EVENT, payload_build
from crm.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from crm.webhooks.sending import AddressRefused, address_resolve, post_signed
from tenants.queue import QueueUnavailable, enqueue

# Seconds to wait after the 1st, 2nd, ... failed attempt; after the last one the delivery fails.
BACKOFF = (60, 5 * 60, 30 * 60, 2 * 60 * 60, 6 * 60 * 60)
MAX_ENDPOINTS = 20
SWEEP_GRACE = timedelta(minutes=10)
logger = logging.getLogger(__name__)


def secret_new() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def endpoint_secret(endpoint: WebhookEndpoint) -> str:
    return secret_decrypt(endpoint.secret_encrypted) or ""


def _clean(*, url: str, events: Iterable[str], description: str) -> tuple[str, list[str], str]:
    errors: dict[str, str] = {}
    url = (url or "").strip()
    if not url.startswith(("http://", "https://")):
        errors["url"] = _("Adres musi zaczynać się od http:// albo https://.")
    elif len(url) > 500:
        errors["url"] = _("Adres jest za długi (najwyżej 500 znaków).")
    else:
        try:
            address_resolve(url)
        except AddressRefused as exc:
            errors["url"] = str(exc)
    chosen = list(dict.fromkeys(events))
    unknown = [name for name in chosen if name not in EVENTS]
    if unknown:
        errors["events"] = _("Nieznane zdarzenie: %(names)s.") % {"names": ", ".join(unknown)}
    elif not chosen:
        errors["events"] = _("Wybierz co najmniej jedno zdarzenie.")
    if errors:
        raise ValidationError(errors)
    return url, chosen, (description or "").strip()[:200]


@transaction.atomic
def endpoint_create(
    *, actor: User | None, url: str, events: Iterable[str], description: str = "", active: bool = True
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret (the only time the secret is returned in full)."""
    if WebhookEndpoint.objects.count() >= MAX_ENDPOINTS:
        raise ValidationError(_("Można dodać najwyżej %(n)s webhooków.") % {"n": MAX_ENDPOINTS})
    url, chosen, description = _clean(url=url, events=events, description=description)
    secret = secret_new()
    endpoint = WebhookEndpoint.objects.create(
        url=url,
        events=chosen,
        description=description,
        active=active,
        secret_encrypted=secret_encrypt(secret),
        created_by=actor if actor is not None and actor.pk else None,
    )
    _log(actor, "webhook.created", endpoint)
    return endpoint, secret


@transaction.atomic
def endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    actor: User | None,
    url: str | None = None,
    events: Iterable[str] | None = None,
    description: str | None = None,
    active: bool | None = None,
) -> WebhookEndpoint:
    new_url, chosen, new_description = _clean(
        url=endpoint.url if url is None else url,
        events=endpoint.events if events is None else events,
        description=endpoint.description if description is None else description,
    )
    endpoint.url, endpoint.events, endpoint.description = new_url, chosen, new_description
    if active is not None:
        endpoint.active = active
    endpoint.save()
    _log(actor, "webhook.updated", endpoint)
    return endpoint


@transaction.atomic
def endpoint_secret_regenerate(*, endpoint: WebhookEndpoint, actor: User | None) -> str:
    secret = secret_new()
    endpoint.secret_encrypted = secret_encrypt(secret)
    endpoint.save(update_fields=["secret_encrypted"])
    _log(actor, "webhook.secret_regenerated", endpoint)
    return secret


@transaction.atomic
def endpoint_delete(*, endpoint: WebhookEndpoint, actor: User | None) -> None:
    _log(actor, "webhook.deleted", endpoint)
    endpoint.delete()


def _log(actor: User | None, code: str, endpoint: WebhookEndpoint) -> None:
    activity_record(
        actor=actor,
        kind=ActivityKind.SETTINGS,
        code=code,
        params={"url": endpoint.url},
        object_type="webhook",
        object_repr=endpoint.url,
        message=f"{code}: {endpoint.url}",
    )


def _queue(delivery: WebhookDelivery) -> None:
    """Send after the commit; with the broker down the delivery waits for the sweep
    (`deliveries_due`, every few minutes) instead of holding up the request."""
    from crm.webhooks.tasks import delivery_send_task  # tasks import this module

    def send() -> None:
        try:
            enqueue(delivery_send_task, delivery.pk, run_inline_if_down=False)
        except QueueUnavailable:
            logger.warning("webhook delivery %s waits for the sweep: the queue is down", delivery.pk)

    transaction.on_commit(send)


def subscribed_events() -> ArraySubquery:
    """The events some active endpoint subscribes to (with repeats), read with the company's
    settings row: one statement of a request answers whether an event goes anywhere."""
    events = Func(F("events"), function="jsonb_array_elements_text", output_field=CharField())
    return ArraySubquery(WebhookEndpoint.objects.filter(active=True).order_by().values_list(events))


def deliveries_due(*, now: datetime | None = None) -> list[int]:
    """Deliveries whose attempt is overdue by more than SWEEP_GRACE (a lost message, a
    broker that was down): the sweep sends them again."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            status__in=(DeliveryStatus.PENDING, DeliveryStatus.RETRYING), next_attempt_at__lt=now - SWEEP_GRACE
        ).values_list("pk", flat=True)[:500]
    )


def event_received(event: Event) -> None:
    """The listener on the event bus: one delivery per active endpoint subscribed to it,
    sent after the commit (an event of a rolled-back change is never sent)."""
    if event.name not in EVENTS:
        return
    subscribed = getattr(CompanySettings.current(), "webhook_events", None)  # read with the row
    if subscribed is not None and event.name not in subscribed:
        return  # most events of most companies: no query
    endpoints = list(WebhookEndpoint.objects.filter(active=True, events__contains=[event.name]))
    if not endpoints:
        return
    payload = payload_build(event=event.name, event_id=event.id, occurred_at=event.occurred_at, obj=event.obj)
    payload = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    for endpoint in endpoints:
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event=event.name, event_id=event.id, payload=payload, next_attempt_at=timezone.now()
        )
        _queue(delivery)


@transaction.atomic
def test_event_send(*, endpoint: WebhookEndpoint, actor: User | None) -> WebhookDelivery:
    now = timezone.now()
    event_id = f"test-{secrets.token_hex(8)}"
    payload = payload_build(event=TEST_EVENT, event_id=event_id, occurred_at=now, obj=None)
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event=TEST_EVENT, event_id=event_id, payload=payload, next_attempt_at=now
    )
    _queue(delivery)
    return delivery


@transaction.atomic
def delivery_replay(*, delivery: WebhookDelivery, actor: User | None) -> WebhookDelivery:
    """The same event (same id and body) sent again as a new delivery."""
    copy = WebhookDelivery.objects.create(
        endpoint=delivery.endpoint,
        event=delivery.event,
        event_id=delivery.event_id,
        payload=delivery.payload,
        next_attempt_at=timezone.now(),
    )
    _queue(copy)
    return copy


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> int | None:
    """Send a delivery once and log the attempt; the seconds until the next attempt,
    or None when it is done (delivered, failed for good, or no longer waiting)."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint")
            .filter(pk=delivery_id, status__in=(DeliveryStatus.PENDING, DeliveryStatus.RETRYING))
            .first()
        )
        if delivery is None:
            return None
        endpoint = delivery.endpoint
        body = json.dumps(delivery.payload, cls=DjangoJSONEncoder, separators=(",", ":")).encode()
        answer = post_signed(
            url=endpoint.url,
            secret=endpoint_secret(endpoint),
            body=body,
            headers={"ImCRM-Event": delivery.event, "ImCRM-Delivery": str(delivery.pk)},
        )
        WebhookAttempt.objects.create(
            delivery=delivery,
            status_code=answer.status_code,
            duration_ms=answer.duration_ms,
            response=answer.response,
            error=answer.error,
        )
        delivery.attempts_count += 1
        now = now or timezone.now()
        delay: int | None = None
        if answer.status_code is not None and 200 <= answer.status_code < 300:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.SUCCEEDED, None
        elif delivery.attempts_count <= len(BACKOFF):
            delay = BACKOFF[delivery.attempts_count - 1]
            delivery.status, delivery.next_attempt_at = DeliveryStatus.RETRYING, now + timedelta(seconds=delay)
        else:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        delivery.save(update_fields=["status", "attempts_count", "next_attempt_at"])
        return delay
