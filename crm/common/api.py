"""What every API endpoint shares: JSON bodies of bounded depth and model
serializers whose dates stay within the range the product accepts (the exception
handler is in `crm.common.exceptions`: DRF reads this module's parser while
`rest_framework.views` is being imported, so it must not import that module).

JSON nested a thousand levels deep makes Python's parser raise RecursionError
(a 500), and anything that walks a deep structure later (validation, copying,
rendering) may do the same. `json_loads` refuses more than `MAX_JSON_DEPTH`
levels, which no form of ours needs; `JSONParser` puts it in front of every DRF
view (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]), and views that read a JSON body
themselves (the Stripe webhook) call `json_loads`.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Mapping
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext as _
from rest_framework import parsers, serializers
from rest_framework.exceptions import ParseError
from rest_framework.request import Request

from crm.common.params import ApiDateField, ApiDateTimeField, id_param
from crm.common.types import AuthUser

MAX_JSON_DEPTH = 32


class JSONTooDeep(ValueError):
    pass


def too_deep(value: Any, limit: int) -> bool:
    """Does `value` nest lists and objects more than `limit` levels? (No recursion.)"""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def json_loads(text: str | bytes, *, max_depth: int = MAX_JSON_DEPTH, strict: bool = True) -> Any:
    """json.loads that raises ValueError (JSONTooDeep) instead of RecursionError and
    refuses nesting deeper than `max_depth`; `strict` also refuses NaN and Infinity."""
    try:
        value = json.loads(text, parse_constant=_no_constant if strict else None)
    except RecursionError:
        raise JSONTooDeep(f"nested deeper than {max_depth} levels") from None
    if too_deep(value, max_depth):
        raise JSONTooDeep(f"nested deeper than {max_depth} levels")
    return value


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a depth limit and messages in the user's language."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
            return json_loads(text, strict=self.strict)
        except JSONTooDeep:
            raise ParseError(
                _("Dane JSON są zagnieżdżone zbyt głęboko (najwyżej %(limit)s poziomów).") % {"limit": MAX_JSON_DEPTH}
            ) from None
        except ValueError:
            raise ParseError(_("Treść żądania nie jest poprawnym JSON-em.")) from None


class AuthedApiRequest(Request):
    """An API request past `IsAuthenticated` (the default permission class): `user` is
    signed in. A view says so with `request: AuthedApiRequest` in its class body."""

    user: AuthUser


class ModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose model dates accept only DATE_MIN..DATE_MAX."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: ApiDateField,
        models.DateTimeField: ApiDateTimeField,
    }


def related_field(fields: dict[str, Any], name: str) -> serializers.RelatedField[Any, Any, Any]:
    """`fields[name]` of `Serializer.get_fields()` as the related field it is (the stubs
    type the dict's values as the base `Field`, which has no `queryset`)."""
    return cast("serializers.RelatedField[Any, Any, Any]", fields[name])


def query_param(request: Request, name: str, parse: Any = id_param) -> Any:
    """Query parameter `name` read by `parse` (crm.common.params: an id by default); what
    it refuses is a 400 naming the parameter."""
    return params_value(request.query_params, name, parse)


def params_value(params: Mapping[str, Any], name: str, parse: Any = id_param) -> Any:
    """`query_param` of a list's parameters given as a mapping (a QueryDict)."""
    try:
        return parse(params.get(name))
    except DjangoValidationError as exc:
        raise serializers.ValidationError({name: exc.messages}) from None
