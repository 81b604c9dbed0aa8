"""POST /api/v1/{customers,leads,deals,tasks}/bulk/ {"ids": [...], "action": "assign", "owner": id}
-> {"updated": n}. Other actions take `status`, `stage`, `group`, `tag` or `done`. Instead of
`ids`, `filter` names every record the list endpoint returns for those query parameters."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.bulk.services import MAX_IDS, MAX_MATCHING, BulkError, bulk_apply, bulk_target
from crm.bulk.targets import BulkTarget
from crm.common.api import AuthedApiRequest
from crm.common.params import is_int_text
from crm.customfields.definitions import custom_fields_of

VALUE_KEYS = {
    "assign": "owner",
    "status": "status",
    "stage": "stage",
    "done": "done",
    "group_add": "group",
    "group_remove": "group",
    "tag_add": "tag",
    "tag_remove": "tag",
}


class BulkRequestSerializer(serializers.Serializer[Any]):
    """Documents the body (the service checks it: `bulk_apply`)."""

    ids = serializers.ListField(child=serializers.IntegerField(), max_length=MAX_IDS, required=False)
    filter = serializers.DictField(required=False)
    action = serializers.ChoiceField(choices=[*VALUE_KEYS, "delete"])
    owner = serializers.IntegerField(required=False)
    status = serializers.IntegerField(required=False)
    stage = serializers.IntegerField(required=False)
    group = serializers.IntegerField(required=False)
    tag = serializers.CharField(required=False)
    done = serializers.BooleanField(required=False)

    openapi_rules = {
        "ids": "1 to 1000 ids of records the caller sees and may change (or delete); "
        "one that is not refuses the whole request, nothing is changed. Give `ids` or `filter`.",
        "filter": "Instead of `ids`: the query parameters of this list's GET endpoint, as an object "
        '(e.g. {"status": 3, "search": "kowalski"}; `cf_<key>` where the list takes it). The action '
        "applies to every record that list returns for them, on all its pages; records the caller "
        f"cannot see are not in it. At most {MAX_MATCHING} records: more is a 400 and nothing is changed, "
        "as is a parameter the list does not take, a value it refuses, or no record matching.",
        "action": "One of the actions of this list: customers assign, status, group_add, group_remove, "
        "tag_add, tag_remove, delete; leads assign, status, delete; deals assign, stage, status, delete; "
        "tasks assign, done, delete.",
        "owner": "An active staff member (a restricted Pracownik: only himself); required by `assign`.",
        "status": "A status of this record type (not the locked converted/lost of leads, not won/lost of deals).",
        "stage": "A deal stage; required by `stage`.",
        "group": "A contact group; required by `group_add` and `group_remove`.",
        "tag": "One tag; required by `tag_add` and `tag_remove`.",
        "done": "Required by `done`.",
    }


BULK_RESPONSE = inline_serializer(name="BulkResponse", fields={"updated": serializers.IntegerField()})


def filter_params(raw: Any, target: BulkTarget) -> QueryDict:
    """A request's `filter` object as the list endpoint's query parameters would arrive
    (true/false for booleans, a list for a repeated parameter); 400 on `filter` otherwise.

    Stricter than the list itself, which passes over a parameter it does not know or a
    value it cannot read: here that would widen the set to every record, so the names,
    the types and the choices the list documents are checked, and `cf_<key>` must be a
    custom field of the list."""
    if not isinstance(raw, dict):
        raise BulkError(_("Podaj filtr jako obiekt {parametr: wartość}, jak w zapytaniu listy."), "filter")
    documented = {parameter.name: parameter for parameter in target.api_filters}
    custom = {field.param for field in custom_fields_of(target.key)} if target.custom_filters else set()
    unknown = [key for key in raw if key not in documented and key not in custom]
    if unknown:
        allowed = [*documented, *sorted(custom)]
        raise BulkError(
            _("Lista nie przyjmuje parametru: %(names)s. Dozwolone: %(allowed)s.")
            % {"names": ", ".join(key[:40] for key in unknown[:5]), "allowed": ", ".join(allowed)},
            "filter",
        )
    params = QueryDict(mutable=True)
    for key, value in raw.items():
        for item in value if isinstance(value, list) else [value]:
            if item is None:
                continue
            text = _filter_text(key, item, documented.get(key))
            params.appendlist(key, text)
    return params


def _filter_text(key: str, item: Any, parameter: OpenApiParameter | None) -> str:
    if isinstance(item, bool):
        text = "true" if item else "false"
    elif isinstance(item, str | int | float) and "\x00" not in str(item):
        text = str(item).strip()
    else:
        raise BulkError(_("Parametr %(name)s: podaj tekst, liczbę albo true/false.") % {"name": key}, "filter")
    if parameter is None:  # a custom field: the list checks its value
        return text
    if parameter.type == OpenApiTypes.INT and not is_int_text(text):
        raise BulkError(_("Parametr %(name)s: podaj liczbę całkowitą.") % {"name": key}, "filter")
    if parameter.type == OpenApiTypes.BOOL and text.lower() not in ("true", "false", "1", "0"):
        raise BulkError(_("Parametr %(name)s: podaj true albo false.") % {"name": key}, "filter")
    if parameter.enum and text not in parameter.enum:
        raise BulkError(
            _("Parametr %(name)s: wybierz jedną z wartości: %(values)s.")
            % {"name": key, "values": ", ".join(str(v) for v in parameter.enum)},
            "filter",
        )
    return text


class BulkView(APIView):
    """One action on many records of a list, all or nothing (one record the caller may not
    see or change refuses the whole request). Either `ids` (at most 1000) or `filter`: the
    list endpoint's query parameters, naming every record that list returns for them (at
    most 10,000; more is a 400 and nothing changes)."""

    key = ""
    request: AuthedApiRequest

    @extend_schema(request=BulkRequestSerializer, responses=BULK_RESPONSE)
    def post(self, request: AuthedApiRequest, *args: Any, **kwargs: Any) -> Response:
        if not isinstance(request.data, dict):
            raise BulkError(_("Wyślij obiekt JSON z polami ids i action."))
        data = request.data
        action = str(data.get("action", ""))[:30]
        value = data.get(VALUE_KEYS.get(action, ""))
        matching = None
        if "filter" in data:
            if "ids" in data:
                raise BulkError(_("Podaj zaznaczone ids albo filter, nie oba naraz."), "filter")
            target = bulk_target(self.key)
            params = filter_params(data["filter"], target)
            try:
                matching = target.api_matching(user=request.user, params=params)
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"filter": exc.detail}) from None
        count = bulk_apply(
            key=self.key, actor=request.user, ids=data.get("ids"), matching=matching, action=action, value=value
        )
        return Response({"updated": count})
