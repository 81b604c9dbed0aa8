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

BULK_REQUEST = inline_serializer(
    name="BulkRequest",
    fields={
        "ids": serializers.ListField(child=serializers.IntegerField(), max_length=MAX_IDS),
        "action": serializers.ChoiceField(choices=[*VALUE_KEYS, "delete"]),
        "owner": serializers.IntegerField(required=False),
        "status": serializers.IntegerField(required=False),
        "stage": serializers.IntegerField(required=False),
        "group": serializers.IntegerField(required=False),
        "tag": serializers.CharField(required=False),
        "done": serializers.BooleanField(required=False),
    },
)
BULK_RESPONSE = inline_serializer(name="BulkResponse", fields={"updated": serializers.IntegerField()})


class BulkView(APIView):
    """One action on many records of a list, all or nothing (one id the caller may not see
    or change refuses the whole request; at most 1000 ids)."""

    key = ""
    request: AuthedApiRequest

    @extend_schema(request=BULK_REQUEST, responses=BULK_RESPONSE)
    def post(self, request: AuthedApiRequest, *args: Any, **kwargs: Any) -> Response:
        if not isinstance(request.data, dict):
            raise BulkError(_("Wyślij obiekt JSON z polami ids i action."))
        data = request.data
        action = str(data.get("action", ""))[:30]
        value = data.get(VALUE_KEYS.get(action, ""))
        count = bulk_apply(key=self.key, actor=request.user, ids=data.get("ids"), action=action, value=value)
        return Response({"updated": count})
