"""A small local stand-in for the KSeF 2.0 API, so tests never touch the Ministry's servers.

`FakeKsef` serves, over real HTTP in a thread, the endpoints of
`shared/standards/ksef/ksef-api-2.0-openapi.json` that `crm.ksef.client` uses, with the
same paths (under /v2), JSON shapes, status codes and encryption:

- `GET /security/public-key-certificates`: its own self-signed RSA certificate (for both
  KsefTokenEncryption and SymmetricKeyEncryption); it keeps the private key and really
  decrypts what the client encrypts;
- token authentication: `POST /auth/challenge`, `POST /auth/ksef-token` (the token must be
  one it issued for that NIP, with the challenge's timestamp), `GET /auth/{ref}`,
  `POST /auth/token/redeem` (once);
- online session: `POST /sessions/online`, `POST /sessions/online/{ref}/invoices`,
  `GET /sessions/{ref}/invoices/{invoiceRef}`, `.../upo`, `GET /sessions/{ref}/invoices/ksef/{number}/upo`,
  `POST /sessions/online/{ref}/close`.

A received invoice is decrypted, its sizes and SHA-256 checked, its XML validated against
the FA(3) schema and its seller compared with the session's NIP, then it gets a KSeF
number (NIP-YYYYMMDD-hex-CRC8, as KSeF's) and a UPO (the Ministry's UPO v4-2 layout).

Test switches: `reject_next(reason)` or the text `REJECT_MARKER` anywhere in the invoice
→ status 450 with that reason; `fail_next(n, status=503|429|..., path=...)` → the next n
matching requests fail (429 with Retry-After); `delay_next(n, seconds)` → slow answers
(client timeouts); `processing_rounds` → status 150 that many times before the result.
The same content (hash) or the same number from the same seller again → status 440
"Duplikat faktury" naming the original KSeF number, as KSeF answers.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.padding import PKCS7
from cryptography.x509.oid import NameOID
from lxml import etree

from crm.ksef.errors import Fa3ValidationError
from crm.ksef.validation import FA3_NAMESPACE, fa3_validate

REJECT_MARKER = "FAKE-KSEF-REJECT"
DEFAULT_NIP = "5261040828"
DEFAULT_TOKEN = "20260101-EC-0123456789-ABCDEF0123-45|nip-5261040828|fake0123456789abcdef"
_seq = itertools.count(1)


@cache
def _key_and_certificate() -> tuple[rsa.RSAPrivateKey, bytes]:
    """One RSA key and self-signed certificate per test run (key generation is slow)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Fake KSeF public key")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return key, certificate.public_bytes(serialization.Encoding.DER)


def _oaep() -> padding.OAEP:
    return padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def _iso(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).isoformat(timespec="milliseconds")


def _reference(kind: str) -> str:
    """36 characters, like KSeF's: 20250625-SO-2C3E6C8000-B675CF5D68-07."""
    return f"{datetime.now(UTC):%Y%m%d}-{kind}-{secrets.token_hex(5).upper()}-{next(_seq):010X}-{secrets.token_hex(1).upper()}"


def _crc8(text: str) -> str:
    crc = 0
    for byte in text.encode():
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return f"{crc:02X}"


def ksef_number(nip: str, day: datetime | None = None) -> str:
    """A KSeF 2.0 number: NIP-YYYYMMDD-12 hex-CRC-8 of the rest (35 characters)."""
    body = f"{nip}-{(day or datetime.now(UTC)):%Y%m%d}-{secrets.token_hex(6).upper()}"
    return f"{body}-{_crc8(body)}"


@dataclass
class Recorded:
    method: str
    path: str
    body: Any
    headers: dict[str, str]


@dataclass
class Failure:
    status: int
    path: str
    retry_after: int | None


@dataclass
class FakeInvoice:
    reference: str
    session: str
    ordinal: int
    xml: bytes
    hash: str
    number: str  # P_2
    status: dict[str, Any]
    ksef_number: str | None = None
    polls_left: int = 0
    received_at: str = field(default_factory=_iso)


@dataclass
class FakeKsef:
    tokens: dict[str, str] = field(default_factory=lambda: {DEFAULT_TOKEN: DEFAULT_NIP})  # token → NIP
    processing_rounds: int = 0
    auth_rounds: int = 0
    requests: list[Recorded] = field(default_factory=list)
    invoices: dict[str, FakeInvoice] = field(default_factory=dict)  # invoice reference → invoice
    server: ThreadingHTTPServer | None = None
    _challenges: dict[str, int] = field(default_factory=dict)
    _auths: dict[str, dict[str, Any]] = field(default_factory=dict)  # auth reference → operation
    _access: dict[str, str] = field(default_factory=dict)  # access token → NIP
    _sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    _failures: list[Failure] = field(default_factory=list)
    _delays: list[float] = field(default_factory=list)
    _rejections: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- lifecycle -------------------------------------------------------------------
    def start(self) -> FakeKsef:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                fake._dispatch(self)

            do_GET = do_POST = do_DELETE = _handle

        _key_and_certificate()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def url(self) -> str:
        """The API base URL (what KsefConfig.api_base_url takes)."""
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/v2"

    # --- switches and look-ups for tests ----------------------------------------------
    def token_add(self, nip: str) -> str:
        token = f"{datetime.now(UTC):%Y%m%d}-EC-{secrets.token_hex(5).upper()}|nip-{nip}|{secrets.token_hex(16)}"
        self.tokens[token] = nip
        return token

    def reject_next(self, reason: str = "Błąd weryfikacji semantyki dokumentu faktury.") -> None:
        self._rejections.append(reason)

    def fail_next(self, n: int = 1, *, status: int = 503, path: str = "", retry_after: int | None = None) -> None:
        """The next `n` requests whose path (after /v2) starts with `path` answer `status`."""
        self._failures += [Failure(status, path, retry_after) for _ in range(n)]

    def delay_next(self, n: int = 1, *, seconds: float = 2.0) -> None:
        self._delays += [seconds] * n

    def calls(self, method: str, path_prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]

    def accepted(self) -> list[FakeInvoice]:
        return [i for i in self.invoices.values() if i.ksef_number]

    # --- HTTP ------------------------------------------------------------------------
    def _dispatch(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        headers = {k.lower(): v for k, v in h.headers.items()}
        path = parts.path.removeprefix("/v2")
        with self._lock:
            self.requests.append(Recorded(h.command, path, body, headers))
            delay = self._delays.pop(0) if self._delays else 0.0
            failure = next((f for f in self._failures if path.startswith(f.path)), None)
            if failure is not None:
                self._failures.remove(failure)
        if delay:
            time.sleep(delay)
        if failure is not None:
            self._fail(h, failure)
            return
        try:
            with self._lock:
                status, payload, kind = self._route(h.command, path, body, headers)
        except _ApiError as error:
            status, payload, kind = error.status, error.payload, "json"
        self._send(h, status, payload, kind)

    def _route(self, method: str, path: str, body: Any, headers: dict[str, str]) -> tuple[int, Any, str]:
        bearer = headers.get("authorization", "").removeprefix("Bearer ")
        if method == "GET" and path == "/security/public-key-certificates":
            return 200, self._certificates(), "json"
        if method == "POST" and path == "/auth/challenge":
            now = datetime.now(UTC)
            challenge = _reference("CR")
            self._challenges[challenge] = int(now.timestamp() * 1000)
            return (
                200,
                {
                    "challenge": challenge,
                    "timestamp": _iso(now),
                    "timestampMs": self._challenges[challenge],
                    "clientIp": "127.0.0.1",
                },
                "json",
            )
        if method == "POST" and path == "/auth/ksef-token":
            return 202, self._auth_start(body), "json"
        if method == "POST" and path == "/auth/token/redeem":
            return 200, self._redeem(bearer), "json"
        if method == "GET" and (match := re.fullmatch(r"/auth/([\w-]+)", path)):
            return 200, self._auth_status(match.group(1), bearer), "json"
        nip = self._access.get(bearer)
        if nip is None:
            raise _ApiError(401, {"status": 401, "title": "Unauthorized", "detail": "Brak ważnego tokena dostępowego."})
        if method == "POST" and path == "/sessions/online":
            return 201, self._session_open(nip, body), "json"
        if method == "POST" and (match := re.fullmatch(r"/sessions/online/([\w-]+)/invoices", path)):
            return 202, self._invoice_receive(self._session(match.group(1), nip), body), "json"
        if method == "POST" and (match := re.fullmatch(r"/sessions/online/([\w-]+)/close", path)):
            self._session(match.group(1), nip)["open"] = False
            return 204, None, "json"
        if method == "GET" and (match := re.fullmatch(r"/sessions/([\w-]+)/invoices/ksef/([\w-]+)/upo", path)):
            session = self._session(match.group(1), nip)
            found = next(
                (
                    i
                    for i in self.invoices.values()
                    if i.session == session["reference"] and i.ksef_number == match.group(2)
                ),
                None,
            )
            if found is None:
                raise _ApiError(400, _exception(21178, "Nie znaleziono UPO dla podanych kryteriów.", match.group(2)))
            return 200, self._upo(found, nip), "xml"
        if method == "GET" and (match := re.fullmatch(r"/sessions/([\w-]+)/invoices/([\w-]+)(/upo)?", path)):
            invoice = self._invoice(self._session(match.group(1), nip), match.group(2))
            if match.group(3):
                return 200, self._upo(invoice, nip), "xml"
            return 200, self._invoice_status(invoice), "json"
        raise _ApiError(404, _exception(21405, "Nie znaleziono zasobu.", path))

    # --- authentication ----------------------------------------------------------------
    def _certificates(self) -> list[dict[str, Any]]:
        key, der = _key_and_certificate()
        spki = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        now = datetime.now(UTC)
        common = {
            "certificate": base64.b64encode(der).decode(),
            "validFrom": _iso(now - timedelta(days=1)),
            "validTo": _iso(now + timedelta(days=365)),
            "publicKeyId": base64.b64encode(hashlib.sha256(spki).digest()).decode(),
        }
        return [
            {**common, "certificateId": "ZmFrZS10b2tlbg==", "usage": ["KsefTokenEncryption"]},
            {**common, "certificateId": "ZmFrZS1rZXk=", "usage": ["SymmetricKeyEncryption"]},
        ]

    def _auth_start(self, body: dict[str, Any]) -> dict[str, Any]:
        challenge = body.get("challenge", "")
        timestamp = self._challenges.pop(challenge, None)
        if timestamp is None:
            raise _ApiError(400, _exception(21111, "Nieprawidłowe wyzwanie autoryzacyjne."))
        context = body.get("contextIdentifier") or {}
        try:
            plain = _key_and_certificate()[0].decrypt(base64.b64decode(body["encryptedToken"]), _oaep()).decode()
        except (KeyError, ValueError):
            plain = ""
        token, _, stamp = plain.rpartition("|")
        if context.get("type") != "Nip" or self.tokens.get(token) != context.get("value"):
            status = {
                "code": 450,
                "description": "Uwierzytelnianie zakończone niepowodzeniem z powodu błędnego tokenu",
                "details": ["Nieprawidłowy token."],
            }
        elif stamp != str(timestamp):
            status = {
                "code": 450,
                "description": "Uwierzytelnianie zakończone niepowodzeniem z powodu błędnego tokenu",
                "details": ["Nieprawidłowy czas tokena."],
            }
        else:
            status = {"code": 200, "description": "Uwierzytelnianie zakończone sukcesem"}
        reference = _reference("AU")
        auth_token = secrets.token_urlsafe(24)
        self._auths[reference] = {
            "token": auth_token,
            "status": status,
            "nip": context.get("value"),
            "rounds": self.auth_rounds,
            "redeemed": False,
        }
        valid = _iso(datetime.now(UTC) + timedelta(minutes=15))
        return {"referenceNumber": reference, "authenticationToken": {"token": auth_token, "validUntil": valid}}

    def _auth_status(self, reference: str, bearer: str) -> dict[str, Any]:
        operation = self._auths.get(reference)
        if operation is None or operation["token"] != bearer:
            raise _ApiError(401, {"status": 401, "title": "Unauthorized", "detail": "Nieprawidłowy token operacji."})
        status = operation["status"]
        if operation["rounds"] > 0:
            operation["rounds"] -= 1
            status = {"code": 100, "description": "Uwierzytelnianie w toku"}
        return {
            "startDate": _iso(),
            "authenticationMethod": "Token",
            "authenticationMethodInfo": {"category": "Token", "code": "token.ksef", "displayName": "Token KSeF"},
            "status": status,
        }

    def _redeem(self, bearer: str) -> dict[str, Any]:
        operation = next((o for o in self._auths.values() if o["token"] == bearer), None)
        if operation is None or operation["status"]["code"] != 200 or operation["redeemed"] or operation["rounds"]:
            raise _ApiError(
                400,
                _exception(
                    21301,
                    "Brak autoryzacji.",
                    "Tokeny zostały już pobrane lub uwierzytelnianie nie zakończyło się sukcesem.",
                ),
            )
        operation["redeemed"] = True
        access = secrets.token_urlsafe(32)
        self._access[access] = operation["nip"]
        until = _iso(datetime.now(UTC) + timedelta(minutes=15))
        return {
            "accessToken": {"token": access, "validUntil": until},
            "refreshToken": {"token": secrets.token_urlsafe(32), "validUntil": until},
        }

    # --- sessions and invoices --------------------------------------------------------------
    def _session_open(self, nip: str, body: dict[str, Any]) -> dict[str, Any]:
        form = body.get("formCode") or {}
        if (form.get("systemCode"), form.get("schemaVersion"), form.get("value")) != ("FA (3)", "1-0E", "FA"):
            raise _ApiError(
                400, _exception(21405, "Błąd walidacji danych wejściowych.", f"Nieobsługiwany schemat {form}.")
            )
        encryption = body.get("encryption") or {}
        try:
            key = _key_and_certificate()[0].decrypt(base64.b64decode(encryption["encryptedSymmetricKey"]), _oaep())
            iv = base64.b64decode(encryption["initializationVector"])
        except (KeyError, ValueError) as exc:
            raise _ApiError(
                400, _exception(21405, "Błąd walidacji danych wejściowych.", "Nieprawidłowy klucz.")
            ) from exc
        reference = _reference("SO")
        self._sessions[reference] = {"reference": reference, "nip": nip, "key": key, "iv": iv, "open": True, "count": 0}
        return {"referenceNumber": reference, "validUntil": _iso(datetime.now(UTC) + timedelta(hours=12))}

    def _session(self, reference: str, nip: str) -> dict[str, Any]:
        session = self._sessions.get(reference)
        if session is None or session["nip"] != nip:
            raise _ApiError(400, _exception(21173, "Brak sesji o wskazanym numerze referencyjnym.", reference))
        return session

    def _invoice(self, session: dict[str, Any], reference: str) -> FakeInvoice:
        invoice = self.invoices.get(reference)
        if invoice is None or invoice.session != session["reference"]:
            raise _ApiError(400, _exception(21405, "Brak faktury o wskazanym numerze referencyjnym.", reference))
        return invoice

    def _invoice_receive(self, session: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        if not session["open"]:
            raise _ApiError(
                400, _exception(21180, "Status sesji nie pozwala na wykonanie operacji.", "Sesja zamknięta.")
            )
        session["count"] += 1
        encrypted = base64.b64decode(body.get("encryptedInvoiceContent") or "")
        status: dict[str, Any] = {"code": 200, "description": "Sukces"}
        xml = b""
        try:
            decryptor = Cipher(algorithms.AES(session["key"]), modes.CBC(session["iv"])).decryptor()
            unpadder = PKCS7(128).unpadder()
            xml = unpadder.update(decryptor.update(encrypted) + decryptor.finalize()) + unpadder.finalize()
        except ValueError:
            status = {"code": 435, "description": "Błąd odszyfrowania pliku"}
        invoice_hash = base64.b64encode(hashlib.sha256(xml).digest()).decode()
        if status["code"] == 200 and (
            body.get("invoiceHash") != invoice_hash
            or body.get("invoiceSize") != len(xml)
            or body.get("encryptedInvoiceSize") != len(encrypted)
            or body.get("encryptedInvoiceHash") != base64.b64encode(hashlib.sha256(encrypted).digest()).decode()
        ):
            status = {
                "code": 430,
                "description": "Błąd weryfikacji pliku faktury",
                "details": ["Niezgodny skrót lub rozmiar."],
            }
        number = ""
        if status["code"] == 200:
            status, number = self._invoice_check(xml, session["nip"])
        if status["code"] == 200:
            original = next(
                (
                    i
                    for i in self.accepted()
                    if self._sessions[i.session]["nip"] == session["nip"]
                    and (i.hash == invoice_hash or i.number == number)
                ),
                None,
            )
            if original is not None:
                status = {
                    "code": 440,
                    "description": "Duplikat faktury",
                    "details": [
                        f"Duplikat faktury. Faktura o numerze KSeF: {original.ksef_number} została już prawidłowo przesłana do systemu w sesji: {original.session}"
                    ],
                    "extensions": {
                        "originalSessionReferenceNumber": original.session,
                        "originalKsefNumber": original.ksef_number,
                    },
                }
        invoice = FakeInvoice(
            reference=_reference("EE"),
            session=session["reference"],
            ordinal=session["count"],
            xml=xml,
            hash=invoice_hash,
            number=number,
            status=status,
            ksef_number=ksef_number(session["nip"]) if status["code"] == 200 else None,
            polls_left=self.processing_rounds,
        )
        self.invoices[invoice.reference] = invoice
        return {"referenceNumber": invoice.reference}

    def _invoice_check(self, xml: bytes, nip: str) -> tuple[dict[str, Any], str]:
        try:
            fa3_validate(xml)
        except Fa3ValidationError as exc:
            return {
                "code": 450,
                "description": "Błąd weryfikacji semantyki dokumentu faktury",
                "details": exc.errors[:5],
            }, ""
        document = etree.fromstring(xml)
        ns = {"fa": FA3_NAMESPACE}
        number = document.findtext("fa:Fa/fa:P_2", namespaces=ns) or ""
        if document.findtext("fa:Podmiot1/fa:DaneIdentyfikacyjne/fa:NIP", namespaces=ns) != nip:
            return {
                "code": 410,
                "description": "Nieprawidłowy zakres uprawnień",
                "details": ["NIP sprzedawcy inny niż kontekst sesji."],
            }, number
        if self._rejections:
            return {
                "code": 450,
                "description": "Błąd weryfikacji semantyki dokumentu faktury",
                "details": [self._rejections.pop(0)],
            }, number
        if REJECT_MARKER.encode() in xml:
            return {
                "code": 450,
                "description": "Błąd weryfikacji semantyki dokumentu faktury",
                "details": ["Nieprawidłowa treść faktury (znacznik testowy)."],
            }, number
        return {"code": 200, "description": "Sukces"}, number

    def _invoice_status(self, invoice: FakeInvoice) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "ordinalNumber": invoice.ordinal,
            "referenceNumber": invoice.reference,
            "invoicingDate": invoice.received_at,
            "invoiceHash": invoice.hash,
            "invoicingMode": "Online",
        }
        if invoice.number:
            answer["invoiceNumber"] = invoice.number
        if invoice.polls_left > 0:
            invoice.polls_left -= 1
            return answer | {"status": {"code": 150, "description": "Trwa przetwarzanie"}}
        if invoice.ksef_number:
            answer |= {"ksefNumber": invoice.ksef_number, "acquisitionDate": invoice.received_at}
        return answer | {"status": invoice.status}

    def _upo(self, invoice: FakeInvoice, nip: str) -> bytes:
        if not invoice.ksef_number or invoice.polls_left > 0:
            raise _ApiError(400, _exception(21178, "Nie znaleziono UPO dla podanych kryteriów.", invoice.reference))
        document = etree.fromstring(invoice.xml)
        issue_date = document.findtext("fa:Fa/fa:P_1", namespaces={"fa": FA3_NAMESPACE}) or ""
        upo = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<Potwierdzenie xmlns="http://upo.schematy.mf.gov.pl/KSeF/v4-2">'
            "<NazwaPodmiotuPrzyjmujacego>Ministerstwo Finansów - fałszywy KSeF do testów</NazwaPodmiotuPrzyjmujacego>"
            f"<NumerReferencyjnySesji>{invoice.session}</NumerReferencyjnySesji>"
            f"<Uwierzytelnienie><IdKontekstu><Nip>{nip}</Nip></IdKontekstu></Uwierzytelnienie>"
            "<NazwaStrukturyLogicznej>Schemat_FA(3)_v1-0E.xsd</NazwaStrukturyLogicznej>"
            "<KodFormularza>FA (3)</KodFormularza>"
            f"<Dokument><NipSprzedawcy>{nip}</NipSprzedawcy>"
            f"<NumerKSeFDokumentu>{invoice.ksef_number}</NumerKSeFDokumentu>"
            f"<NumerFaktury>{_xml_text(invoice.number)}</NumerFaktury>"
            f"<DataWystawieniaFaktury>{issue_date}</DataWystawieniaFaktury>"
            f"<DataPrzeslaniaDokumentu>{invoice.received_at}</DataPrzeslaniaDokumentu>"
            f"<DataNadaniaNumeruKSeF>{invoice.received_at}</DataNadaniaNumeruKSeF>"
            f"<SkrotDokumentu>{invoice.hash}</SkrotDokumentu><TrybWysylki>Online</TrybWysylki></Dokument>"
            "</Potwierdzenie>"
        )
        return upo.encode()

    # --- answers -------------------------------------------------------------------------
    def _fail(self, h: BaseHTTPRequestHandler, failure: Failure) -> None:
        if failure.status == 429:
            seconds = failure.retry_after or 1
            payload: Any = {
                "status": {
                    "code": 429,
                    "description": "Too Many Requests",
                    "details": [f"Przekroczono limit żądań. Spróbuj ponownie po {seconds} sekundach."],
                }
            }
            self._send(h, 429, payload, "json", {"Retry-After": str(seconds)})
        elif failure.status >= 500:
            extra = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
            self._send(h, failure.status, "Service Unavailable", "text", extra)
        else:
            self._send(
                h,
                failure.status,
                _exception(21405, "Błąd walidacji danych wejściowych.", "Wymuszony błąd testu."),
                "json",
            )

    def _send(
        self, h: BaseHTTPRequestHandler, status: int, payload: Any, kind: str, extra: dict[str, str] | None = None
    ) -> None:
        if payload is None:
            body = b""
        elif kind == "xml":
            body = payload
        elif kind == "text":
            body = str(payload).encode()
        else:
            body = json.dumps(payload, ensure_ascii=False).encode()
        h.send_response(status)
        content_type = {"xml": "application/xml", "text": "text/plain"}.get(kind, "application/json")
        if kind == "json" and isinstance(payload, dict) and "title" in payload:
            content_type = "application/problem+json"
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            h.send_header(name, value)
        h.end_headers()
        h.wfile.write(body)


class _ApiError(Exception):
    def __init__(self, status: int, payload: Any) -> None:
        super().__init__(status)
        self.status = status
        self.payload = payload


def _exception(code: int, description: str, *details: str) -> dict[str, Any]:
    """KSeF's ExceptionResponse body."""
    return {
        "exception": {
            "exceptionDetailList": [
                {"exceptionCode": code, "exceptionDescription": description, "details": list(details)}
            ],
            "referenceNumber": _reference("EX"),
            "serviceCode": secrets.token_hex(16),
            "serviceCtx": "srvFAKE",
            "serviceName": "FakeKsef",
            "timestamp": _iso(),
        }
    }


def _xml_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
