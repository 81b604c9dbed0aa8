"""One application error for every refusal a person can act on, and the helpers that
show it: next to the right field of a Django form, or as a 400 answer of the API
(`crm.common.exceptions.exception_handler`)."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


class AppError(Exception):
    """A refusal with a message for people; `field` names the input to blame (None: the
    whole form). Services raise it (or a subclass named after their area)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def form_apply_error(
    form: forms.BaseForm,
    error: AppError,
    *,
    fields: Mapping[str, str] | None = None,
    default: str | None = None,
) -> None:
    """Puts `error` on the form field it names (`fields` renames a service's field to the
    form's); an error that names no field of the form goes on `default` (None: the whole form)."""
    name = error.field
    if fields and name is not None and name in fields:
        name = fields[name]
    form.add_error(name if name in form.fields else default, error.message)


def form_apply_validation_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's ValidationError on the form: by field where the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
