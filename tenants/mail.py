"""What every outgoing e-mail of the product shares.

Subjects are built from things people typed (a task title, a company name), and a
header containing CR or LF makes Django refuse the whole message (BadHeaderError):
every sender passes its subject through `mail_subject`, which makes it one line.
"""

from __future__ import annotations

import unicodedata

_BREAKING = frozenset({"Cc", "Zl", "Zp"})  # control characters, line and paragraph separators


def mail_subject(text: object) -> str:
    """`text` as a single-line subject: any run of whitespace or control characters
    (CR, LF, tabs, Unicode line separators, NUL...) becomes one space; ends trimmed."""
    cleaned = "".join(" " if unicodedata.category(ch) in _BREAKING else ch for ch in str(text))
    return " ".join(cleaned.split())
