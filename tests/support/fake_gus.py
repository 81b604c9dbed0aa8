"""A small local stand-in for GUS BIR1.1 (the REGON database, `UslugaBIRzewnPubl.svc`), so
tests never ask the real register.

Speaks SOAP 1.2 as the real service does: `Zaloguj` with the right user key answers a
session id (a wrong key: an empty result), `DaneSzukajPodmioty` needs that id in the `sid`
HTTP header (otherwise an empty result) and answers the escaped `<root><dane>…</dane></root>`
document for the companies a test put in `FakeGus.units` ({nip: [unit dict]}), or the
register's ErrorCode 4 for an unknown NIP; `DanePobierzPelnyRaport` (pRegon, pNazwaRaportu)
answers the rows a test put with `report(regon, name, rows)` (ErrorCode 4 otherwise);
`Wyloguj` ends the session. `fail_action` answers 500 to every call of one action. Answers are wrapped
in MTOM (multipart/related) like the real ones. `fail_next(n)` answers 500 to the next n
requests; `delay` makes every answer wait (timeouts).
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

_ACTION = re.compile(r"<wsa:Action>http://CIS/BIR/PUBL/2014/07/IUslugaBIRzewnPubl/(\w+)</wsa:Action>")
_KEY = re.compile(r"<ns:pKluczUzytkownika>(.*?)</ns:pKluczUzytkownika>")
_NIP = re.compile(r"<dat:Nip>(.*?)</dat:Nip>")
_REGON = re.compile(r"<ns:pRegon>(.*?)</ns:pRegon>")
_REPORT = re.compile(r"<ns:pNazwaRaportu>(.*?)</ns:pNazwaRaportu>")
_FIELDS = (
    "Regon",
    "Nip",
    "StatusNip",
    "Nazwa",
    "Wojewodztwo",
    "Powiat",
    "Gmina",
    "Miejscowosc",
    "KodPocztowy",
    "Ulica",
    "NrNieruchomosci",
    "NrLokalu",
    "Typ",
    "SilosID",
    "DataZakonczeniaDzialalnosci",
    "MiejscowoscPoczty",
)


class FakeGus:
    def __init__(self, key: str = "abcde12345abcde12345") -> None:
        self.key = key
        self.units: dict[str, list[dict[str, str]]] = {}
        self.reports: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.fail_action = ""
        self.asked_reports: list[str] = []
        self.calls: list[tuple[str, str]] = []  # (action, sid header)
        self.sessions: set[str] = set()
        self.delay = 0.0
        self._failures = 0
        self._server: ThreadingHTTPServer | None = None

    def company(self, nip: str, name: str, **fields: str) -> FakeGus:
        unit = {"Nip": nip, "Nazwa": name, "Typ": "P", "SilosID": "6", **fields}
        self.units.setdefault(nip, []).append(unit)
        return self

    def report(self, regon: str, name: str, rows: list[dict[str, str]]) -> FakeGus:
        self.reports[(regon, name)] = rows
        return self

    def fail_next(self, n: int = 1) -> None:
        self._failures += n

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/wsBIR/UslugaBIRzewnPubl.svc"

    def _search(self, nip: str) -> str:
        units = self.units.get(nip)
        if not units:
            return (
                "<root><dane><ErrorCode>4</ErrorCode><ErrorMessagePl>Nie znaleziono podmiotu dla podanych"
                " kryteriów wyszukiwania.</ErrorMessagePl><Nip>" + escape(nip) + "</Nip></dane></root>"
            )
        parts = []
        for unit in units:
            parts.append("<dane>" + "".join(f"<{f}>{escape(unit.get(f, ''))}</{f}>" for f in _FIELDS) + "</dane>")
        return "<root>" + "".join(parts) + "</root>"

    def answer(self, action: str, body: str, sid: str) -> str:
        if action == "Zaloguj":
            match = _KEY.search(body)
            if match is None or match.group(1) != self.key:
                return ""
            session = uuid.uuid4().hex[:20]
            self.sessions.add(session)
            return session
        if action == "Wyloguj":
            self.sessions.discard(sid)
            return "true"
        if action == "DaneSzukajPodmioty":
            if sid not in self.sessions:
                return ""
            match = _NIP.search(body)
            return self._search(match.group(1) if match else "")
        if action == "DanePobierzPelnyRaport":
            if sid not in self.sessions:
                return ""
            regon, name = _REGON.search(body), _REPORT.search(body)
            self.asked_reports.append(name.group(1) if name else "")
            rows = self.reports.get((regon.group(1) if regon else "", name.group(1) if name else ""))
            if not rows:
                return "<root><dane><ErrorCode>4</ErrorCode></dane></root>"
            dane = ("<dane>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in row.items()) + "</dane>" for row in rows)
            return "<root>" + "".join(dane) + "</root>"
        raise ValueError(action)

    def start(self) -> FakeGus:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                match = _ACTION.search(body)
                action = match.group(1) if match else ""
                sid = self.headers.get("sid", "")
                fake.calls.append((action, sid))
                if fake.delay:
                    time.sleep(fake.delay)
                if fake._failures or (fake.fail_action and action == fake.fail_action):
                    fake._failures = max(0, fake._failures - 1)
                    self._send(500, "text/plain", b"Internal Server Error")
                    return
                try:
                    result = fake.answer(action, body, sid)
                except ValueError:
                    self._send(400, "text/plain", b"Bad Request")
                    return
                envelope = (
                    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"'
                    ' xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header>'
                    f"<a:Action>http://CIS/BIR/PUBL/2014/07/IUslugaBIRzewnPubl/{action}Response</a:Action>"
                    f'</s:Header><s:Body><{action}Response xmlns="http://CIS/BIR/PUBL/2014/07">'
                    f"<{action}Result>{escape(result)}</{action}Result></{action}Response></s:Body></s:Envelope>"
                )
                boundary = "uuid:" + uuid.uuid4().hex
                mtom = (
                    f"--{boundary}\r\nContent-ID: <http://tempuri.org/0>\r\nContent-Transfer-Encoding: 8bit\r\n"
                    'Content-Type: application/xop+xml;charset=utf-8;type="application/soap+xml"\r\n\r\n'
                    f"{envelope}\r\n--{boundary}--\r\n"
                )
                self._send(
                    200,
                    f'multipart/related; type="application/xop+xml"; boundary="{boundary}";'
                    ' start="<http://tempuri.org/0>"; start-info="application/soap+xml"',
                    mtom.encode(),
                )

            def _send(self, status: int, content_type: str, data: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (timeout tests)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
