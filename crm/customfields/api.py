"""REST API: the definitions, /api/v1/settings/custom-fields/ (Szef only), and the
`custom_fields` object the record serializers share (`CustomFieldsField`).

Definitions: `id`, `model` (a record type: customer, contact, deal, lead, ticket, project),
`name`, `key`, `type`, `options`, `required`, `position`, `show_in_list`; `model`, `key`
and `type` are fixed once created. DELETE removes the field's values from the records.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from crm.accounts.access import IsSzef
from crm.accounts.models import User
from crm.customfields import services
from crm.customfields.definitions import FieldDef, custom_fields_of
from crm.customfields.filters import custom_filters_apply, custom_filters_read
from crm.customfields.models import CustomField, FieldType
from crm.customfields.values import custom_values_clean


class CustomFieldSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    model = serializers.CharField(
        max_length=30, help_text="record type: customer, contact, deal, lead, ticket, project"
    )
    name = serializers.CharField(max_length=100)
    key = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text="a-z, 0-9, _; default: made from the name"
    )
    type = serializers.ChoiceField(choices=FieldType.choices)
    options = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    required = serializers.BooleanField(required=False, default=False)  # type: ignore[assignment]
    position = serializers.IntegerField(min_value=1, required=False, help_text="1 = first; writing it moves the field")
    show_in_list = serializers.BooleanField(required=False, default=False)

    # Rules across fields, for the OpenAPI schema (`x-rules`, crm/accounts/openapi.py).
    openapi_rules = {
        "model": "A record type that takes custom fields: customer, contact, deal, lead, ticket, project.",
        "name": "Must contain more than whitespace.",
        "key": "a-z, 0-9 and single underscores, starting with a letter; unique per `model`; fixed once created.",
        "type": "Fixed once created.",
        "options": "At least one for `select` and `multi_select`.",
    }


def _drf_error(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("model", OpenApiTypes.STR)]))
class CustomFieldViewSet(viewsets.ModelViewSet):
    permission_classes = [IsSzef]
    serializer_class = CustomFieldSerializer
    queryset = CustomField.objects.none()

    def get_queryset(self) -> QuerySet[CustomField]:
        qs = CustomField.objects.all()
        model = self.request.query_params.get("model")
        return qs.filter(model=model) if self.action == "list" and model else qs

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        try:
            serializer.instance = services.custom_field_create(
                actor=cast(User, self.request.user), **serializer.validated_data
            )
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        if serializer.partial:
            data = {k: v for k, v in data.items() if k in serializer.initial_data}
        if data.get("key") == "":
            del data["key"]
        try:
            serializer.instance = services.custom_field_update(
                actor=cast(User, self.request.user), field=cast(CustomField, serializer.instance), **data
            )
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None

    def perform_destroy(self, instance: CustomField) -> None:
        services.custom_field_delete(actor=cast(User, self.request.user), field=instance)


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": True,
        "description": "custom fields defined in Settings, {key: value}; unknown keys are refused, null clears one",
    }
)
class CustomFieldsField(serializers.Field):
    """The record's `custom_fields` object: read as stored (only defined keys); written
    as {key: value} over the stored values, checked by type (crm.customfields.values)."""

    def __init__(self, *, model: str, **kwargs: Any) -> None:
        self.model = model
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", _CurrentValues())
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> dict[str, Any]:
        fields = custom_fields_of(self.model)
        value = value or {}
        return {f.key: value[f.key] for f in fields if f.key in value}

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise ValidationError(_("Podaj obiekt {klucz: wartość}."))
        instance = getattr(self.parent, "instance", None)
        current = getattr(instance, "custom_fields", None) if instance is not None else None
        try:
            return custom_values_clean(fields=custom_fields_of(self.model), data=data, current=current)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from None


# The rule of `custom_fields` no JSON schema keyword states (`x-rules`, crm/accounts/openapi.py).
CUSTOM_FIELDS_RULE = {
    "custom_fields": "Keys are the custom fields Szef defined for this record type "
    "(/api/v1/settings/custom-fields/?model=...); an unknown key, a value its type cannot hold "
    "or a required field left empty is a 400 naming the key."
}


class _CurrentValues:
    """Without `custom_fields` in a create or a full update: the stored values (none on
    create), still checked, so a required field is refused when it is missing."""

    requires_context = True

    def __call__(self, field: CustomFieldsField) -> dict[str, Any]:
        return field.to_internal_value({})


def custom_list_filter(qs: QuerySet[Any], *, model: str, params: Any) -> tuple[QuerySet[Any], dict[FieldDef, Any]]:
    """`?cf_<key>=` of an API list; a value the field cannot hold is a 400 naming the parameter."""
    try:
        found = custom_filters_read(custom_fields_of(model), params)
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    return custom_filters_apply(qs, found), found


def custom_filters_check(*, model: str, params: Any) -> None:
    """400 naming the `cf_<key>` parameter whose value the field cannot hold."""
    try:
        custom_filters_read(custom_fields_of(model), params)
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict) from None


class CustomFieldsFilterMixin:
    """A list viewset of a record type with custom fields: `?cf_<key>=` narrows the list."""

    custom_fields_model: str
    request: Any

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)  # type: ignore[misc]
        if getattr(self, "action", None) == "list" and any(key.startswith("cf_") for key in self.request.query_params):
            queryset, _found = custom_list_filter(
                queryset, model=self.custom_fields_model, params=self.request.query_params
            )
        return queryset
