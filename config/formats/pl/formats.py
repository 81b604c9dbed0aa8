"""Polish formats used across the product: one date format (12.03.2025), numbers and
prices grouped by thousands with a non-breaking space ("10 000 klientów", "1 990 zł").
Django's own pl module answers everything not set here (input formats)."""

from __future__ import annotations

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j E"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking: "1 990 zł" never splits across lines
NUMBER_GROUPING = 3
