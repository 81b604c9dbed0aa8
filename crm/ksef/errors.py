"""What can go wrong on the way from an invoice to its KSeF number, one type per thing the
caller does about it:

- `Fa3Error`: the invoice's data cannot make an FA(3) document (fix the invoice);
  `Fa3ProformaRefused` for a pro-forma, which is never sent to KSeF;
  `Fa3ValidationError` when the XML does not pass the official schema (a bug: never sent).
- `KsefTransient`: KSeF did not answer, answered 5xx or 429: try again later
  (`retry_after` seconds when KSeF said so).
- `KsefRejected`: KSeF refused the invoice or the credentials, with its reason: a person
  must act; sending the same thing again fails the same way.
- `KsefDuplicate`: KSeF already holds this invoice; `original_ksef_number` is its number
  there when KSeF named it (the caller may record it and fetch the UPO instead).

All are `AppError`s: their `message` is for people, in the user's language.
"""

from __future__ import annotations

from crm.common.errors import AppError


class Fa3Error(AppError):
    """The invoice cannot be written as FA(3); `field` names the input to blame."""


class Fa3ProformaRefused(Fa3Error):
    """A pro-forma is not a VAT invoice: it never goes to KSeF."""


class Fa3ValidationError(Fa3Error):
    """The generated XML does not pass the FA(3) schema; `errors` lists the schema's
    complaints as "line N: message"."""

    def __init__(self, message: str, errors: list[str]) -> None:
        super().__init__(message)
        self.errors = errors


class KsefError(AppError):
    """Base of the errors of talking to KSeF."""


class KsefTransient(KsefError):
    """Try again later. `retry_after`: seconds KSeF asked to wait (429/503), or None.
    `session_reference`/`invoice_reference` are set when the invoice was already handed
    over and only its result is unknown (a retry may then meet `KsefDuplicate`)."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: int | None = None,
        status_code: int | None = None,
        session_reference: str = "",
        invoice_reference: str = "",
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.status_code = status_code
        self.session_reference = session_reference
        self.invoice_reference = invoice_reference


class KsefRejected(KsefError):
    """KSeF refused: `reason` is KSeF's own description (Polish, as KSeF gives it),
    `code` its status or exception code."""

    def __init__(self, message: str, *, reason: str, code: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.code = code


class KsefDuplicate(KsefError):
    """KSeF already holds an invoice with this content (or number) from this seller."""

    def __init__(
        self, message: str, *, reason: str, original_ksef_number: str = "", original_session: str = ""
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.original_ksef_number = original_ksef_number
        self.original_session = original_session
