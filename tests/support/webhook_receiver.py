"""A small local receiver of webhooks, as a customer would write one: it checks the
signature (HMAC-SHA256 of "<timestamp>.<body>" with the endpoint's secret, header
`ImCRM-Signature: v1=<hex>`) and answers what the test asks for."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    signature_ok: bool

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class WebhookReceiver:
    def __init__(self) -> None:
        self.secret = ""
        self.received: list[Received] = []
        self.answers: list[tuple[int, str, dict[str, str]]] = []  # next answers, then 200
        self._server: ThreadingHTTPServer | None = None

    def answer_next(self, status: int, body: str = "", headers: dict[str, str] | None = None) -> None:
        self.answers.append((status, body, headers or {}))

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks/imcrm"

    def verify(self, headers: dict[str, str], body: bytes) -> bool:
        timestamp = headers.get("ImCRM-Timestamp", "")
        expected = "v1=" + hmac.new(self.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
        return bool(timestamp) and hmac.compare_digest(expected, headers.get("ImCRM-Signature", ""))

    def start(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {key: value for key, value in self.headers.items()}
                receiver.received.append(Received(self.path, headers, body, receiver.verify(headers, body)))
                status, text, extra = receiver.answers.pop(0) if receiver.answers else (200, "ok", {})
                data = text.encode()
                self.send_response(status)
                for key, value in extra.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
