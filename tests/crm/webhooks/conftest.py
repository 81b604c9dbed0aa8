from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.webhook_receiver import WebhookReceiver


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    """A local HTTP server that receives the company's webhooks and checks their signature."""
    server = WebhookReceiver().start()
    try:
        yield server
    finally:
        server.stop()
