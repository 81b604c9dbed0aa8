"""The inbound e-mail endpoint of a company host: POST /inbound/email/.

The company's mail provider (or a small relay) posts each message sent to a support
address as JSON, with the company's inbound secret (Settings > Zgłoszenia) in the header
`X-Inbound-Secret` (or `Authorization: Bearer <secret>`):

    {
      "from": "Jan Nowak <jan@klient.pl>",          # required: the sender
      "to": ["pomoc@firma.pl"],                      # a list or one string
      "subject": "Re: [#T-12-0a1b2c3d4e] Drukarka",  # the reference threads the reply
      "text": "Plain-text body",                     # or "html" when there is no text
      "html": "<p>optional</p>",
      "message_id": "<abc@mail.klient.pl>",          # also "message-id"; makes posting idempotent
      "attachments": [{"name": "zdj.png", "content_type": "image/png", "content": "<base64>"}]
    }

Answers: 200 {"ok": true, "ticket": <id>, "number": <n>, "created": bool, "duplicate": bool,
"reply": <id>, "skipped_attachments": n}; 400 a payload that cannot be used; 403 a wrong
or missing secret; 405 not a POST; 413 more than IMCRM_INBOUND_MAX_BYTES (25 MB); 429 too
many posts from one address (IMCRM_INBOUND_LIMIT, default 300 per 10 minutes).

Optional "cc" and "envelope_to" (where the provider delivered it; also "bcc") lists: a
message delivered to the company's BCC address (Settings > Szablony e-maili) is not a
ticket but a copy of mail staff sent from their own program; crm.emails logs it on the
customer's timeline and answers {"ok": true, "logged": bool, "email": <id>|null}.
"""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from crm.common.ratelimit import client_ip, window_hit
from crm.common.token_pages import customer_page
from crm.tickets.inbound import InboundError, inbound_claimed, inbound_parse, inbound_receive
from crm.tickets.models import TicketSettings

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_LIMIT = (300, 10 * 60)


def _secret_of(request: HttpRequest) -> str:
    given = request.headers.get("X-Inbound-Secret", "")
    auth = request.headers.get("Authorization", "")
    if not given and auth.lower().startswith("bearer "):
        given = auth[7:]
    return given.strip()


@customer_page
@csrf_exempt
@require_POST
def inbound_email(request: HttpRequest) -> JsonResponse:
    count, seconds = getattr(settings, "IMCRM_INBOUND_LIMIT", DEFAULT_LIMIT)
    if not window_hit("tickets_inbound", client_ip(request), (int(count), int(seconds))):
        return JsonResponse({"ok": False, "error": "too many requests"}, status=429)
    given = _secret_of(request)
    expected = TicketSettings.current().inbound_secret
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        return JsonResponse({"ok": False, "error": "wrong secret"}, status=403)
    limit = int(getattr(settings, "IMCRM_INBOUND_MAX_BYTES", DEFAULT_MAX_BYTES))
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > limit:
        return JsonResponse({"ok": False, "error": "too large"}, status=413)
    body = request.read(limit + 1)
    if len(body) > limit:
        return JsonResponse({"ok": False, "error": "too large"}, status=413)
    try:
        message = inbound_parse(json.loads(body.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return JsonResponse({"ok": False, "error": "the body must be JSON"}, status=400)
    except InboundError as exc:
        return JsonResponse({"ok": False, "error": str(exc)}, status=400)
    claimed = inbound_claimed(message)
    if claimed is not None:
        return JsonResponse({"ok": True, **claimed})
    result = inbound_receive(message)
    return JsonResponse(
        {
            "ok": True,
            "ticket": result.ticket.pk,
            "number": result.ticket.number,
            "created": result.created,
            "duplicate": result.duplicate,
            "reply": result.reply.pk if result.reply is not None else None,
            "skipped_attachments": result.skipped_attachments,
        }
    )
