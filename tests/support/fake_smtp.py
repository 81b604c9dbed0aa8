"""A real SMTP server on 127.0.0.1 (aiosmtpd) for tests: it keeps every message it
accepted, and answers `550` to the recipients it is told to refuse."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any


class SmtpSink:
    """Stores every message the local server accepted."""

    def __init__(self, refuse: Iterable[str] = ()) -> None:
        self.messages: list[Any] = []
        self.refuse = {address.lower() for address in refuse}

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server_running(
    *, authenticator: Callable[..., Any] | None = None, refuse: Iterable[str] = ()
) -> Iterator[Any]:
    """The server's controller (`.port`, `.sink.messages`), stopped on exit. Plain
    connections; AUTH LOGIN/PLAIN is allowed without TLS when `authenticator` is given."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink(refuse)
    options: dict[str, Any] = {"authenticator": authenticator, "auth_require_tls": False} if authenticator else {}
    controller = Controller(sink, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    controller.sink = sink  # type: ignore[attr-defined]
    try:
        yield controller
    finally:
        controller.stop()
