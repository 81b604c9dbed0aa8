"""POST /api/v1/{customers,leads,deals,tasks}/bulk/ {"ids": [...], "action": "assign", "owner": id}
-> {"updated": n}. Other actions take `status`, `stage`, `group`, `tag` or `done`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.bulk.services import MAX_IDS, BulkError, bulk_apply
from crm.common.api import AuthedApiRequest

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

    ids = serializers.ListField(child=serializers.IntegerField(), max_length=MAX_IDS)
    action = serializers.ChoiceField(choices=[*VALUE_KEYS, "delete"])
    owner = serializers.IntegerField(required=False)
    status = serializers.IntegerField(required=False)
    stage = serializers.IntegerField(required=False)
    group = serializers.IntegerField(required=False)
    tag = serializers.CharField(required=False)
    done = serializers.BooleanField(required=False)

    openapi_rules = {
        "ids": "1 to 1000 ids of records the caller sees and may change (or delete); "
        "one that is not refuses the whole request, nothing is changed.",
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


class BulkView(APIView):
    """One action on many records of a list, all or nothing (one id the caller may not see
    or change refuses the whole request; at most 1000 ids)."""

    key = ""
    request: AuthedApiRequest

    @extend_schema(request=BulkRequestSerializer, responses=BULK_RESPONSE)
    def post(self, request: AuthedApiRequest, *args: Any, **kwargs: Any) -> Response:
        if not isinstance(request.data, dict):
            raise BulkError(_("Wyślij obiekt JSON z polami ids i action."))
        data = request.data
        action = str(data.get("action", ""))[:30]
        value = data.get(VALUE_KEYS.get(action, ""))
        count = bulk_apply(key=self.key, actor=request.user, ids=data.get("ids"), action=action, value=value)
        return Response({"updated": count})
