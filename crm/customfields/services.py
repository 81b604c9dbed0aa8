"""Writes of custom field definitions (Settings > Pola własne and its API, Szef only).

Deleting a field also removes its key from every record of that type: the values are
gone with the field (the API refuses keys no field defines, so a kept value could
neither be shown nor written, and a new field with the same key would inherit values
of another type). The key, the type and the record type of a field are fixed once it
exists for the same reason; its name, options, "required", order and list column change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from unidecode import unidecode

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.records import record_type
from crm.customfields.definitions import definitions_forget, model_keys
from crm.customfields.models import OPTION_TYPES, CustomField, FieldType

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
KEY_MAX = 40
OPTIONS_MAX = 100


def key_from_name(name: str) -> str:
    """ "Branża klienta" -> "branza_klienta"."""
    words = re.findall(r"[a-z0-9]+", unidecode(name).lower())
    key = "_".join(words)[:KEY_MAX].strip("_")
    return key if key and key[0].isalpha() else f"pole_{key}".strip("_")[:KEY_MAX]


def _options_clean(raw: Iterable[Any] | str | None) -> list[str]:
    items = raw.splitlines() if isinstance(raw, str) else list(raw or [])
    options: list[str] = []
    for item in items:
        text = " ".join(str(item).split())
        if len(text) > 100:
            raise ValidationError({"options": _("Opcja może mieć najwyżej 100 znaków.")})
        if text and text.lower() not in {o.lower() for o in options}:
            options.append(text)
    if len(options) > OPTIONS_MAX:
        raise ValidationError({"options": _("Najwyżej %(count)s opcji.") % {"count": OPTIONS_MAX}})
    return options


def _check(*, model: str, name: str, key: str, type: str, options: list[str], exclude_pk: int | None) -> None:
    errors: dict[str, str] = {}
    if model not in model_keys():
        errors["model"] = _("Nieznany rodzaj rekordu „%(value)s”.") % {"value": str(model)[:40]}
    if not name:
        errors["name"] = _("Podaj nazwę pola.")
    elif len(name) > 100:
        errors["name"] = _("Nazwa może mieć najwyżej 100 znaków.")
    if not KEY_PATTERN.match(key) or len(key) > KEY_MAX:
        errors["key"] = _(
            "Klucz to małe litery łacińskie, cyfry i pojedyncze podkreślenia, zaczyna się od litery (najwyżej 40 znaków)."
        )
    elif CustomField.objects.filter(model=model, key=key).exclude(pk=exclude_pk or 0).exists():
        errors["key"] = _("Pole o tym kluczu już istnieje.")
    if type not in FieldType.values:
        errors["type"] = _("Nieznany typ „%(value)s”. Dozwolone: %(types)s.") % {
            "value": str(type)[:40],
            "types": ", ".join(FieldType.values),
        }
    elif type in OPTION_TYPES and not options:
        errors["options"] = _("Podaj opcje do wyboru (co najmniej jedną).")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def custom_field_create(
    *,
    actor: User | None,
    model: str,
    name: str,
    type: str,
    key: str = "",
    options: Iterable[Any] | str | None = None,
    required: bool = False,
    show_in_list: bool = False,
    position: int | None = None,
) -> CustomField:
    name = " ".join(str(name or "").split())
    key = str(key or "").strip() or key_from_name(name)
    clean_options = _options_clean(options) if type in OPTION_TYPES else []
    _check(model=model, name=name, key=key, type=type, options=clean_options, exclude_pk=None)
    last = CustomField.objects.filter(model=model).aggregate(m=Max("position"))["m"] or 0
    field = CustomField.objects.create(
        model=model,
        name=name,
        key=key,
        type=type,
        options=clean_options,
        required=bool(required),
        show_in_list=bool(show_in_list),
        position=last + 1,
    )
    if position is not None:
        custom_field_move(field=field, position=position)
    activity_record(
        actor=actor, kind=ActivityKind.CREATE, obj=field, code="category.created", params={"name": field.name}
    )
    _forget()
    return field


@transaction.atomic
def custom_field_update(*, actor: User | None, field: CustomField, **changes: Any) -> CustomField:
    """Changes name, options, required, show_in_list, position; a different key, type
    or model is refused (see the module's docstring)."""
    errors = {
        name: _("Tego nie można zmienić w istniejącym polu; usuń je i dodaj nowe.")
        for name in ("model", "key", "type")
        if name in changes and changes[name] != getattr(field, name)
    }
    if errors:
        raise ValidationError(errors)
    name = " ".join(str(changes.get("name", field.name) or "").split())
    options = _options_clean(changes["options"]) if "options" in changes else list(field.options)
    options = options if field.type in OPTION_TYPES else []
    _check(model=field.model, name=name, key=field.key, type=field.type, options=options, exclude_pk=field.pk)
    field.name = name
    field.options = options
    for flag in ("required", "show_in_list"):
        if flag in changes:
            setattr(field, flag, bool(changes[flag]))
    field.save()
    if changes.get("position") is not None:
        custom_field_move(field=field, position=int(changes["position"]))
    activity_record(
        actor=actor,
        kind=ActivityKind.UPDATE,
        obj=field,
        message=_("Zmieniono pole własne %(name)s") % {"name": field.name},
    )
    _forget()
    return field


@transaction.atomic
def custom_field_move(*, field: CustomField, position: int) -> None:
    """Puts `field` at `position` (1 = first) among the fields of its record type."""
    ordered = list(CustomField.objects.filter(model=field.model).exclude(pk=field.pk).order_by("position", "id"))
    index = max(0, min(int(position) - 1, len(ordered)))
    ordered.insert(index, field)
    for number, item in enumerate(ordered, start=1):
        if item.position != number:
            item.position = number
            CustomField.objects.filter(pk=item.pk).update(position=number)
    _forget()


@transaction.atomic
def custom_field_delete(*, actor: User | None, field: CustomField) -> None:
    """Deletes the field and its values on every record of its type (a definition of a
    type no longer registered has no records to clean)."""
    try:
        model = record_type(field.model).model
    except KeyError:
        model = None
    if model is not None:
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET custom_fields = custom_fields - %s WHERE custom_fields ? %s",  # noqa: S608
                [field.key, field.key],
            )
    activity_record(
        actor=actor, kind=ActivityKind.DELETE, obj=field, code="category.deleted", params={"name": field.name}
    )
    field.delete()
    _forget()


def _forget() -> None:
    definitions_forget()
    transaction.on_commit(definitions_forget)
