"""The REST API's exception handler (REST_FRAMEWORK["EXCEPTION_HANDLER"]): the
application's refusals become 400 answers shaped like DRF's own validation errors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from crm.common.errors import AppError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """`AppError` -> 400 `{field: [message]}` (or `{"detail": message}` without a field);
    a Django `ValidationError` from a service -> 400 like a serializer's errors; a Django
    `PermissionDenied` with a reason -> 403 with that reason."""
    if isinstance(exc, AppError):
        detail: Any = {exc.field: [exc.message]} if exc.field else {"detail": exc.message}
        exc = serializers.ValidationError(detail)
    elif isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(serializers.as_serializer_error(exc))
    elif isinstance(exc, DjangoPermissionDenied) and exc.args:
        exc = exceptions.PermissionDenied(str(exc.args[0]))  # the service's reason, not DRF's generic one
    return drf_exception_handler(exc, context)
