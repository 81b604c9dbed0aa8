"""A small local stand-in for the Stripe API, so tests never touch the network.

`FakeStripe` serves, over real HTTP in a thread, the endpoints ImCRM calls through
the `stripe` library (customers, checkout/sessions — subscriptions and one-off
payments —, billing_portal/sessions, invoices, subscriptions, the account), keeps what was created in memory, and records every
request. Tests point the library at it with `STRIPE_API_BASE = fake.url`.

Webhook payloads are signed like Stripe signs them (`t=<ts>,v1=<HMAC-SHA256 of
"<ts>.<body>">`, see `signature_header`); the application verifies them with
the real library.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

_ids = itertools.count(1000)


def new_id(prefix: str) -> str:
    return f"{prefix}_test{next(_ids)}"


def _nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding (a[b][0][c]=v) back into nested dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _listify(root)


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    items = {k: _listify(v) for k, v in node.items()}
    if items and all(k.isdigit() for k in items):
        return [items[k] for k in sorted(items, key=int)]
    return items


def signature_header(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header Stripe would send for `payload`."""
    ts = int(time.time()) if timestamp is None else timestamp
    signed = f"{ts}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={ts},v1={digest}"


def event(event_type: str, obj: dict[str, Any], *, created: int | None = None, event_id: str = "") -> dict[str, Any]:
    return {
        "id": event_id or new_id("evt"),
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(time.time()) if created is None else created,
        "livemode": False,
        "pending_webhooks": 1,
        "type": event_type,
        "data": {"object": obj},
    }


@dataclass
class Recorded:
    method: str
    path: str
    params: dict[str, Any]
    headers: dict[str, str]


@dataclass
class FakeStripe:
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    portal_sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    invoices: list[dict[str, Any]] = field(default_factory=list)
    tax_rates: dict[str, dict[str, Any]] = field(default_factory=dict)
    tax_ids: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # customer id -> its tax ids
    requests: list[Recorded] = field(default_factory=list)
    idempotent: dict[str, dict[str, Any]] = field(default_factory=dict)
    account: dict[str, Any] = field(
        default_factory=lambda: {
            "id": "acct_test_firma",
            "object": "account",
            "settings": {"dashboard": {"display_name": "Firma Testowa"}},
        }
    )
    server: ThreadingHTTPServer | None = None

    # --- lifecycle --------------------------------------------------------------
    def start(self) -> FakeStripe:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                fake._dispatch(self)

            do_GET = do_POST = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def calls(self, method: str, path_prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]

    # --- state helpers for tests -----------------------------------------------
    def subscription_put(
        self,
        *,
        customer: str,
        status: str = "active",
        price: str = "price_test_biznes_month",
        sub_id: str = "",
        created: int | None = None,
        metadata: dict[str, str] | None = None,
        cancel_reason: str | None = None,
        period_end: int | None = None,
    ) -> dict[str, Any]:
        sub_id = sub_id or new_id("sub")
        now = int(time.time())
        existing = self.subscriptions.get(sub_id, {})
        sub = {
            "id": sub_id,
            "object": "subscription",
            "customer": customer,
            "status": status,
            "created": existing.get("created") or (created if created is not None else now),
            "cancel_at_period_end": False,
            "canceled_at": now if status == "canceled" else None,
            "ended_at": now if status == "canceled" else None,
            "cancellation_details": {"reason": cancel_reason},
            "metadata": metadata or existing.get("metadata") or {},
            "items": {
                "object": "list",
                "data": [
                    {
                        "id": existing.get("items", {}).get("data", [{}])[0].get("id") or new_id("si"),
                        "object": "subscription_item",
                        "price": {"id": price, "object": "price", "currency": "pln"},
                        "current_period_end": period_end or now + 30 * 86400,
                    }
                ],
            },
        }
        self.subscriptions[sub_id] = sub
        return sub

    def checkout_complete(self, session_id: str, *, status: str = "active") -> dict[str, Any]:
        """Szef paid: the session is complete and a subscription exists."""
        session = self.sessions[session_id]
        item = session["line_items"][0]
        price = item.get("price") or f"price_inline_{session['metadata'].get('plan', 'x')}"
        sub = self.subscription_put(
            customer=session["customer"], status=status, price=price, metadata=session.get("metadata") or {}
        )
        session.update(status="complete", payment_status="paid", subscription=sub["id"])
        return session

    def invoice_add(self, *, customer: str, subscription: str, status: str = "paid", total: int = 9900) -> dict:
        invoice = {
            "id": new_id("in"),
            "object": "invoice",
            "customer": customer,
            "number": f"IMCRM-{len(self.invoices) + 1:04d}",
            "created": int(time.time()),
            "total": total,
            "currency": "pln",
            "status": status,
            "hosted_invoice_url": f"{self.url}/invoice/{len(self.invoices) + 1}",
            "invoice_pdf": f"{self.url}/invoice/{len(self.invoices) + 1}.pdf",
            "parent": {"type": "subscription_details", "subscription_details": {"subscription": subscription}},
        }
        self.invoices.append(invoice)
        return invoice

    # --- HTTP -------------------------------------------------------------------
    def _dispatch(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length).decode() if length else ""
        params = _nest(parse_qsl(body or parts.query, keep_blank_values=True))
        headers = {k.lower(): v for k, v in h.headers.items()}
        self.requests.append(Recorded(h.command, parts.path, params, headers))
        if parts.path.startswith("/checkout/"):  # the "hosted" checkout page a browser lands on
            self._send(h, 200, f"<html><body><h1>Fake Stripe Checkout</h1><p>{parts.path}</p></body></html>", "html")
            return
        if not headers.get("authorization", "").startswith("Bearer sk_"):
            self._error(h, 401, "authentication_error", "No valid API key provided.")
            return
        key = headers.get("idempotency-key", "")
        if h.command == "POST" and key and key in self.idempotent:
            self._send(h, 200, self.idempotent[key])
            return
        status, result = self._route(h.command, parts.path, params)
        if status == 200 and h.command == "POST" and key:
            self.idempotent[key] = result
        if status != 200:
            self._error(h, status, "invalid_request_error", result["message"], code=result.get("code"))
            return
        self._send(h, 200, result)

    def _route(self, method: str, path: str, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        missing = (404, {"message": f"No such resource: {path}", "code": "resource_missing"})
        if method == "POST" and path == "/v1/customers":
            customer = {"id": new_id("cus"), "object": "customer", "email": p.get("email"), "name": p.get("name")}
            customer["metadata"] = p.get("metadata", {})
            self.customers[customer["id"]] = customer
            return 200, customer
        if method == "POST" and path == "/v1/checkout/sessions":
            if p.get("mode") == "payment":
                return self._payment_session(p)
            if p.get("customer") not in self.customers:
                return 400, {"message": "No such customer", "code": "resource_missing"}
            sid = new_id("cs")
            session = {**p, "id": sid, "object": "checkout.session", "status": "open", "subscription": None}
            session["url"] = f"{self.url}/checkout/{sid}"
            self.sessions[sid] = session
            return 200, session
        if method == "GET" and path == "/v1/account":
            return 200, self.account
        if method == "GET" and path.startswith("/v1/checkout/sessions/"):
            session = self.sessions.get(path.rsplit("/", 1)[1])
            return (200, session) if session else missing
        if method == "POST" and path == "/v1/billing_portal/sessions":
            if p.get("customer") not in self.customers:
                return 400, {"message": "No such customer", "code": "resource_missing"}
            bps = {**p, "id": new_id("bps"), "object": "billing_portal.session"}
            bps["url"] = f"{self.url}/portal/{bps['id']}"
            self.portal_sessions[bps["id"]] = bps
            return 200, bps
        if method == "GET" and path == "/v1/invoices":
            data = [i for i in self.invoices if i["customer"] == p.get("customer")]
            return 200, {"object": "list", "data": data[::-1], "has_more": False, "url": "/v1/invoices"}
        if path == "/v1/tax_rates":
            return self._tax_rates(method, p)
        match = re.fullmatch(r"/v1/customers/([\w]+)/tax_ids(?:/([\w]+))?", path)
        if match:
            return self._tax_ids(method, match.group(1), match.group(2), p)
        match = re.fullmatch(r"/v1/subscriptions/([\w]+)", path)
        if match:
            sub = self.subscriptions.get(match.group(1))
            if sub is None:
                return missing
            if method == "POST":
                if "cancel_at_period_end" in p:
                    sub["cancel_at_period_end"] = p["cancel_at_period_end"] == "true"
                if p.get("items"):
                    sub["items"]["data"][0]["price"] = {"id": p["items"][0]["price"], "object": "price"}
                if p.get("metadata"):
                    sub["metadata"] = p["metadata"]
            if method == "DELETE":
                sub.update(status="canceled", canceled_at=int(time.time()), ended_at=int(time.time()))
            return 200, sub
        return missing

    def _payment_session(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """A one-off payment (mode=payment, inline price_data): amount_total in minor units."""
        items = p.get("line_items") or []
        try:
            currency = {str(item["price_data"]["currency"]) for item in items}
            total = sum(int(item["price_data"]["unit_amount"]) * int(item.get("quantity", 1)) for item in items)
        except (KeyError, TypeError, ValueError):
            return 400, {"message": "Invalid line_items: price_data with currency and unit_amount required"}
        if len(currency) != 1 or total <= 0:
            return 400, {"message": "Invalid line_items: one currency and a positive amount required"}
        sid = new_id("cs")
        session = {
            **p,
            "id": sid,
            "object": "checkout.session",
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": total,
            "currency": currency.pop(),
            "customer": p.get("customer"),
            "metadata": p.get("metadata") or {},
            "payment_intent": None,
            "subscription": None,
        }
        session["url"] = f"{self.url}/checkout/{sid}"
        self.sessions[sid] = session
        return 200, session

    def payment_complete(self, session_id: str, *, event_type: str = "checkout.session.completed") -> dict[str, Any]:
        """The customer paid a mode=payment session: it is complete and paid; returns the
        event Stripe sends (post it with `signature_header(body, the endpoint's secret)`)."""
        session = self.sessions[session_id]
        session.update(
            status="complete", payment_status="paid", payment_intent=session.get("payment_intent") or new_id("pi")
        )
        public = {k: v for k, v in session.items() if k not in ("line_items", "payment_intent_data")}
        return event(event_type, public)

    def _tax_rates(self, method: str, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "GET":
            data = [r for r in self.tax_rates.values() if r["active"] or p.get("active") != "true"]
            return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/tax_rates"}
        if "percentage" not in p or "display_name" not in p or "inclusive" not in p:
            return 400, {"message": "Missing required param: percentage, display_name or inclusive"}
        rate = {**p, "id": new_id("txr"), "object": "tax_rate", "active": True}
        rate["percentage"] = float(p["percentage"])
        rate["inclusive"] = p["inclusive"] == "true"
        rate["metadata"] = p.get("metadata", {})
        self.tax_rates[rate["id"]] = rate
        return 200, rate

    def _tax_ids(self, method: str, customer: str, tax_id: str | None, p: dict[str, Any]) -> tuple[int, dict]:
        if customer not in self.customers:
            return 404, {"message": f"No such customer: {customer}", "code": "resource_missing"}
        ids = self.tax_ids.setdefault(customer, [])
        if method == "GET":
            return 200, {"object": "list", "data": ids, "has_more": False, "url": f"/v1/customers/{customer}/tax_ids"}
        if method == "DELETE":
            self.tax_ids[customer] = [t for t in ids if t["id"] != tax_id]
            return 200, {"id": tax_id, "object": "tax_id", "deleted": True}
        value = str(p.get("value", ""))
        if p.get("type") != "eu_vat" or not re.fullmatch(r"PL\d{10}", value):
            return 400, {"message": f"Invalid value for eu_vat: {value}", "code": "tax_id_invalid"}
        created = {"id": new_id("txi"), "object": "tax_id", "type": "eu_vat", "value": value, "customer": customer}
        ids.append(created)
        return 200, created

    def _send(self, h: BaseHTTPRequestHandler, status: int, payload: Any, kind: str = "json") -> None:
        body = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
        h.send_response(status)
        h.send_header("Content-Type", "text/html" if kind == "html" else "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.send_header("Request-Id", new_id("req"))
        h.end_headers()
        h.wfile.write(body)

    def _error(self, h: BaseHTTPRequestHandler, status: int, kind: str, message: str, code: str | None = None) -> None:
        self._send(h, status, {"error": {"type": kind, "message": message, "code": code}})
