"""Plan limits, asked before creating something that counts against the plan.

Each function returns None when allowed, or the message to show (in the user's
language) when the company's plan does not allow one more. Call them with the
company schema active. (Filled in by the billing issue.)
"""

from __future__ import annotations


def seat_limit_problem() -> str | None:
    """May one more active staff member be added (invited)?"""
    return None


def customer_limit_problem() -> str | None:
    """May one more customer be created?"""
    return None
