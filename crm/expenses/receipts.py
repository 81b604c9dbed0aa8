"""Serving an expense's receipt: only through views that checked the person may see
the expense (the page's and the API's), never from a public media URL."""

from __future__ import annotations

from django.http import FileResponse, Http404

from crm.expenses.models import Expense

INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/webp", "image/gif")


def receipt_response(expense: Expense, *, inline: bool) -> FileResponse:
    """The receipt as a download (or, with `inline`, shown in the browser when it is a PDF or an image), 404 without one."""
    if not expense.receipt:
        raise Http404
    try:
        handle = expense.receipt.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=not (inline and expense.receipt_content_type in INLINE_TYPES),
        filename=expense.receipt_name or "receipt",
        content_type=expense.receipt_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
