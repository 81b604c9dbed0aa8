"""A small local stand-in for the Ministry of Finance's VAT taxpayers' list ("Biała lista",
wl-api.mf.gov.pl), so tests never ask the real register.

Serves `GET /api/search/nip/{nip}?date=YYYY-MM-DD` in the register's JSON shape from the
companies a test puts in `FakeWhiteList.subjects` ({nip: subject dict}); an unknown NIP
gets the register's answer with `"subject": null`. `fail_next(n)` makes the next n
requests answer 500.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

_PATH = re.compile(r"^/api/search/nip/(\d{10})$")


class FakeWhiteList:
    def __init__(self) -> None:
        self.subjects: dict[str, dict[str, Any]] = {}
        self.requests: list[str] = []
        self._failures = 0
        self._server: ThreadingHTTPServer | None = None

    def company(self, nip: str, name: str, address: str, regon: str = "") -> FakeWhiteList:
        self.subjects[nip] = {
            "name": name,
            "nip": nip,
            "regon": regon,
            "statusVat": "Czynny",
            "workingAddress": address,
            "residenceAddress": None,
        }
        return self

    def fail_next(self, n: int = 1) -> None:
        self._failures += n

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeWhiteList:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake.requests.append(self.path)
                if fake._failures:
                    fake._failures -= 1
                    self._answer(500, {"message": "Internal Server Error"})
                    return
                parts = urlsplit(self.path)
                match = _PATH.match(parts.path)
                if match is None or "date" not in parse_qs(parts.query):
                    self._answer(400, {"code": "WL-100", "message": "Nieprawidłowe zapytanie."})
                    return
                subject = fake.subjects.get(match.group(1))
                self._answer(200, {"result": {"subject": subject, "requestId": "fake-1"}})

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
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
