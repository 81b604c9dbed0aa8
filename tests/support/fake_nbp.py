"""A small local stand-in for the NBP web API (api.nbp.pl), so tests never ask the bank.

Serves `GET /api/exchangerates/rates/{table}/{code}/{start}/{end}/?format=json` in NBP's
JSON shape from the rates a test puts in `FakeNbp.rates` ({(table, code): {date: (mid,
table number)}}): the rates published in the range, oldest first, or 404 "Brak danych"
(NBP's answer for a range without a table, or a currency not in that table).
`fail_next(n)` makes the next n requests answer 500.
"""

from __future__ import annotations

import json
import re
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

_PATH = re.compile(r"^/api/exchangerates/rates/([ABC])/([A-Za-z]{3})/(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})/?$")


class FakeNbp:
    def __init__(self) -> None:
        self.rates: dict[tuple[str, str], dict[date, tuple[str, str]]] = {}
        self.requests: list[str] = []
        self._failures = 0
        self._server: ThreadingHTTPServer | None = None

    def rate(self, code: str, day: date, mid: str, number: str, table: str = "A") -> FakeNbp:
        self.rates.setdefault((table, code.upper()), {})[day] = (mid, number)
        return self

    def fail_next(self, n: int = 1) -> None:
        self._failures += n

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/api"

    def start(self) -> FakeNbp:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake.requests.append(self.path)
                if fake._failures:
                    fake._failures -= 1
                    self._answer(500, "Internal Server Error", "text/plain")
                    return
                match = _PATH.match(urlsplit(self.path).path)
                if match is None:
                    self._answer(400, "400 BadRequest - Błędny zakres dat / Invalid date range", "text/plain")
                    return
                table, code, start, end = match.groups()
                found = [
                    {"no": number, "effectiveDate": day.isoformat(), "mid": float(mid)}
                    for day, (mid, number) in sorted(fake.rates.get((table, code.upper()), {}).items())
                    if date.fromisoformat(start) <= day <= date.fromisoformat(end)
                ]
                if not found:
                    self._answer(404, "404 NotFound - Not Found - Brak danych", "text/plain")
                    return
                body = {"table": table, "currency": code.lower(), "code": code.upper(), "rates": found}
                self._answer(200, json.dumps(body), "application/json; charset=utf-8")

            def _answer(self, status: int, text: str, content_type: str) -> None:
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
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
            self._server = None
