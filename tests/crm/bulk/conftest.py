from __future__ import annotations

from tests.crm.notes.conftest import _polish, media  # noqa: F401  (files in a per-test MEDIA_ROOT)
