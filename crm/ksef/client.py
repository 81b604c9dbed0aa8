"""Sending an FA(3) invoice to KSeF 2.0 and getting back its KSeF number and UPO.

Built on the `ksef-client` SDK (typed models of the 2.0 API, the encryption KSeF asks
for), following the Ministry's flow for token authentication and an online session:

1. `GET /security/public-key-certificates`: the Ministry's (here: the server's) public keys;
2. `POST /auth/challenge`, then `POST /auth/ksef-token` with "token|timestampMs" encrypted
   RSA-OAEP/SHA-256 under the KsefTokenEncryption key; `GET /auth/{ref}` until 200;
   `POST /auth/token/redeem` gives the access token;
3. `POST /sessions/online` with a fresh AES-256 key encrypted under the
   SymmetricKeyEncryption key; `POST /sessions/online/{ref}/invoices` with the invoice
   encrypted AES-256-CBC/PKCS#7 and the SHA-256 of both forms;
4. `GET /sessions/{ref}/invoices/{invoiceRef}` until the invoice is processed: 200 gives the
   KSeF number, 440 is a duplicate, 4xx a rejection with KSeF's reason;
5. `GET /sessions/{ref}/invoices/{invoiceRef}/upo`, then `POST /sessions/online/{ref}/close`.

Failures come out as `KsefTransient` (no answer, 5xx, 429: retry later), `KsefRejected`
(with KSeF's reason) or `KsefDuplicate`. Nothing here retries: the caller (a Celery
task) decides when to try again.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType

from django.utils.translation import gettext as _
from ksef_client import KsefClient, KsefClientOptions
from ksef_client.exceptions import KsefHttpError, KsefRateLimitError
from ksef_client.models import FormCode, OpenOnlineSessionRequest, PublicKeyCertificate
from ksef_client.services.auth import build_ksef_token_auth_request, encrypt_ksef_token
from ksef_client.services.crypto import EncryptionData, build_encryption_data, build_send_invoice_request

from crm.ksef.config import KsefConfig
from crm.ksef.errors import KsefDuplicate, KsefRejected, KsefTransient
from crm.ksef.validation import fa3_validate

log = logging.getLogger(__name__)

FA3_FORM = FormCode(system_code="FA (3)", schema_version="1-0E", value="FA")
_PENDING = {100, 150}  # accepted / being processed
_TRANSIENT_STATUSES = {405, 500, 550}  # cancelled by a session error, unknown error, cancelled by the system


@dataclass(frozen=True)
class KsefReceipt:
    """What KSeF gave back for an accepted invoice. `upo_xml` is empty when the UPO could
    not be fetched yet (the number is what counts; `ksef_invoice_result` fetches it later)."""

    ksef_number: str
    session_reference: str
    invoice_reference: str
    invoice_hash: str  # SHA-256 of the XML, Base64, as KSeF records it
    acquired_at: str  # when KSeF gave the number (ISO 8601, from KSeF)
    upo_xml: bytes = field(default=b"", repr=False)


def ksef_send_invoice(config: KsefConfig, xml: bytes, *, sleep: Callable[[float], None] = time.sleep) -> KsefReceipt:
    """Sends one FA(3) invoice (validated first: nothing invalid leaves the product) and
    returns its KSeF number and UPO. Raises KsefTransient / KsefRejected / KsefDuplicate."""
    fa3_validate(xml)
    with KsefConnection(config, sleep=sleep) as connection:
        return connection.send(xml)


def ksef_invoice_result(
    config: KsefConfig,
    *,
    session_reference: str,
    invoice_reference: str,
    sleep: Callable[[float], None] = time.sleep,
) -> KsefReceipt:
    """The result of an invoice already handed to KSeF (after a `KsefTransient` that carried
    its references, or to fetch a missing UPO): same answers and errors as sending."""
    with KsefConnection(config, sleep=sleep) as connection:
        return connection.result(session_reference, invoice_reference)


def ksef_upo(config: KsefConfig, *, session_reference: str, ksef_number: str) -> bytes:
    """The UPO of an invoice KSeF already holds, by its session and KSeF number (what a
    `KsefDuplicate` names as `original_session` / `original_ksef_number`)."""
    with KsefConnection(config) as connection:
        return connection.upo_by_number(session_reference, ksef_number)


class KsefConnection:
    """One authenticated conversation with KSeF: authenticates on first use, opens one
    online session for any number of `send`s, closes it on exit."""

    def __init__(self, config: KsefConfig, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.config = config
        self._sleep = sleep
        self._client = KsefClient(KsefClientOptions(base_url=config.base_url, timeout_seconds=config.timeout_seconds))
        self._access_token = ""
        self._certificates: list[PublicKeyCertificate] = []
        self._session_reference = ""
        self._encryption: EncryptionData | None = None

    def __enter__(self) -> KsefConnection:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        try:
            if self._session_reference:
                with contextlib.suppress(KsefTransient, KsefRejected), _ksef_errors():
                    self._client.sessions.close_online_session(self._session_reference, self._access_token)
        finally:
            self._session_reference = ""
            self._client.close()

    # --- the steps -----------------------------------------------------------------

    def send(self, xml: bytes) -> KsefReceipt:
        self._open_session()
        assert self._encryption is not None
        request = build_send_invoice_request(xml, self._encryption.key, self._encryption.iv)
        with _ksef_errors():
            sent = self._client.sessions.send_online_invoice(
                self._session_reference, request, access_token=self._access_token
            )
        return self.result(self._session_reference, sent.reference_number)

    def result(self, session_reference: str, invoice_reference: str) -> KsefReceipt:
        self._authenticate()
        for attempt in range(self.config.poll_attempts):
            if attempt:
                self._sleep(self.config.poll_interval_seconds)
            with _ksef_errors(session_reference=session_reference, invoice_reference=invoice_reference):
                answer = self._client.sessions.get_session_invoice_status(
                    session_reference, invoice_reference, access_token=self._access_token
                )
            status = answer.status
            if status.code in _PENDING:
                continue
            if status.code == 200 and answer.ksef_number:
                return KsefReceipt(
                    ksef_number=answer.ksef_number,
                    session_reference=session_reference,
                    invoice_reference=invoice_reference,
                    invoice_hash=answer.invoice_hash or "",
                    acquired_at=answer.acquisition_date or "",
                    upo_xml=self._upo(session_reference, invoice_reference),
                )
            reason = _status_reason(status.description, status.details)
            if status.code == 440:
                extensions = status.extensions or {}
                number = extensions.get("originalKsefNumber") or ""
                raise KsefDuplicate(
                    _("KSeF ma już tę fakturę (numer KSeF %(number)s).") % {"number": number}
                    if number
                    else _("KSeF ma już tę fakturę."),
                    reason=reason,
                    original_ksef_number=number,
                    original_session=extensions.get("originalSessionReferenceNumber") or "",
                )
            if status.code in _TRANSIENT_STATUSES:
                raise KsefTransient(
                    _("KSeF nie przetworzył faktury: %(reason)s") % {"reason": reason},
                    status_code=status.code,
                    session_reference=session_reference,
                    invoice_reference=invoice_reference,
                )
            raise KsefRejected(
                _("KSeF odrzucił fakturę: %(reason)s") % {"reason": reason}, reason=reason, code=status.code
            )
        raise KsefTransient(
            _("KSeF jeszcze przetwarza fakturę."),
            session_reference=session_reference,
            invoice_reference=invoice_reference,
        )

    def _upo(self, session_reference: str, invoice_reference: str) -> bytes:
        try:
            with _ksef_errors():
                return self._client.sessions.get_session_invoice_upo_by_ref(
                    session_reference, invoice_reference, access_token=self._access_token
                )
        except (KsefTransient, KsefRejected) as exc:  # the number is known; the UPO can wait
            log.warning("KSeF UPO of %s not fetched: %s", invoice_reference, exc)
            return b""

    def upo_by_number(self, session_reference: str, ksef_number: str) -> bytes:
        self._authenticate()
        with _ksef_errors():
            return self._client.sessions.get_session_invoice_upo_by_ksef(
                session_reference, ksef_number, access_token=self._access_token
            )

    def _certificate(self, usage: str) -> PublicKeyCertificate:
        if not self._certificates:
            with _ksef_errors():
                self._certificates = self._client.security.get_public_key_certificates()
        now = datetime.now(UTC).isoformat()[:19]  # KSeF's timestamps compare as text to the second
        usable = [
            c for c in self._certificates if usage in {u.value for u in c.usage} and (c.valid_to or now)[:19] >= now
        ]
        if not usable:
            raise KsefTransient(_("KSeF nie udostępnia klucza publicznego (%(usage)s).") % {"usage": usage})
        return max(usable, key=lambda c: c.valid_from or "")

    def _authenticate(self) -> None:
        if self._access_token:
            return
        key = self._certificate("KsefTokenEncryption")
        with _ksef_errors(auth=True):
            challenge = self._client.auth.get_challenge()
            encrypted = encrypt_ksef_token(
                public_certificate=key.certificate, token=self.config.token, timestamp_ms=challenge.timestamp_ms
            )
            started = self._client.auth.submit_ksef_token_auth(
                build_ksef_token_auth_request(
                    challenge=challenge.challenge,
                    context_identifier_type="nip",
                    context_identifier_value=self.config.nip,
                    encrypted_token_base64=encrypted,
                    public_key_id=key.public_key_id,
                )
            )
        auth_token = started.authentication_token.token
        for attempt in range(self.config.poll_attempts):
            if attempt:
                self._sleep(self.config.poll_interval_seconds)
            with _ksef_errors(auth=True):
                status = self._client.auth.get_auth_status(started.reference_number, auth_token).status
            if status.code == 100:
                continue
            if status.code != 200:
                reason = _status_reason(status.description, status.details)
                raise KsefRejected(
                    _("KSeF nie przyjął tokenu: %(reason)s") % {"reason": reason}, reason=reason, code=status.code
                )
            with _ksef_errors(auth=True):
                self._access_token = self._client.auth.redeem_token(auth_token).access_token.token
            return
        raise KsefTransient(_("KSeF nie zakończył uwierzytelniania."))

    def _open_session(self) -> None:
        if self._session_reference:
            return
        self._authenticate()
        key = self._certificate("SymmetricKeyEncryption")
        self._encryption = build_encryption_data(key.certificate, public_key_id=key.public_key_id)
        assert self._encryption.encryption_info is not None
        with _ksef_errors():
            opened = self._client.sessions.open_online_session(
                OpenOnlineSessionRequest(form_code=FA3_FORM, encryption=self._encryption.encryption_info),
                access_token=self._access_token,
            )
        self._session_reference = opened.reference_number


# --- errors ---------------------------------------------------------------------------


def _status_reason(description: str, details: list[str] | None) -> str:
    return " ".join([description.rstrip(".") + ".", *(details or [])]) if details else description


def _http_reason(exc: KsefHttpError) -> str:
    """KSeF's own words from an error answer: exception details, problem details, or the text."""
    body = exc.response_body
    reasons: list[str] = []
    if isinstance(body, dict):
        exception = body.get("exception") or {}
        for item in exception.get("exceptionDetailList") or []:
            reasons.append(_status_reason(str(item.get("exceptionDescription") or ""), item.get("details")))
        if not reasons and isinstance(body.get("status"), dict):
            reasons.append(_status_reason(str(body["status"].get("description", "")), body["status"].get("details")))
        if not reasons:
            reasons += [str(body[k]) for k in ("title", "detail") if body.get(k)]
    return " ".join(r for r in reasons if r) or exc.message or f"HTTP {exc.status_code}"


@contextlib.contextmanager
def _ksef_errors(*, auth: bool = False, session_reference: str = "", invoice_reference: str = "") -> Iterator[None]:
    """The SDK's errors as ours: no answer, 5xx and 429 are transient, the rest a rejection."""
    refs = {"session_reference": session_reference, "invoice_reference": invoice_reference}
    try:
        yield
    except KsefRateLimitError as exc:
        raise KsefTransient(
            _("KSeF ogranicza liczbę zapytań; spróbuj za %(seconds)s s.") % {"seconds": exc.retry_after or 60},
            retry_after=exc.retry_after,
            status_code=429,
            **refs,
        ) from exc
    except KsefHttpError as exc:
        reason = _http_reason(exc)
        if exc.status_code == 0 or exc.status_code == 408 or exc.status_code >= 500:
            raise KsefTransient(
                _("KSeF chwilowo nie odpowiada: %(reason)s") % {"reason": reason},
                retry_after=exc.retry_after,
                status_code=exc.status_code or None,
                **refs,
            ) from exc
        message = _("KSeF nie przyjął tokenu: %(reason)s") if auth else _("KSeF odrzucił żądanie: %(reason)s")
        raise KsefRejected(message % {"reason": reason}, reason=reason, code=exc.status_code) from exc
