"""English formats used across the product: one date format (03/12/2025, Django's
short English date), numbers grouped by thousands with a comma ("10,000", "1,990")."""

from __future__ import annotations

DATE_FORMAT = "m/d/Y"
SHORT_DATE_FORMAT = "m/d/Y"
DATETIME_FORMAT = "m/d/Y H:i"
SHORT_DATETIME_FORMAT = "m/d/Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "F j"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
