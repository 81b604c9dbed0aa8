"""What a field is in PostgreSQL terms: its column, its foreign-key target, the value Django
writes into existing rows when the column is added, and which type changes happen in place."""

from __future__ import annotations

import re
from typing import Any


def field_target(field: Any) -> tuple[str, str]:
    model = field.remote_field.model
    if isinstance(model, str):
        app, _, name = model.partition(".")
        return app.lower(), name.lower()
    return model._meta.app_label, model._meta.model_name


def field_column(field: Any, name: str) -> str:
    if field.db_column:
        return str(field.db_column)
    return f"{name}_id" if field.is_relation and (field.many_to_one or field.one_to_one) else name


def has_fk_constraint(field: Any) -> bool:
    return bool(field.is_relation and (field.many_to_one or field.one_to_one) and field.db_constraint)


def effective_default(field: Any) -> object:
    """The value Django writes into existing rows when it adds the column (as its schema editor)."""
    if field.has_default():
        return field.get_default()
    if not field.null and field.blank and field.empty_strings_allowed:
        return b"" if field.get_internal_type() == "BinaryField" else ""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return "now"
    return None


def type_change_in_place(old: str, new: str) -> bool:
    """Type changes PostgreSQL 15 makes without rewriting the table (binary-coercible, not narrower;
    checked by comparing the table's file node before and after)."""
    old_varchar = re.fullmatch(r"varchar(?:\((\d+)\))?", old)
    if old_varchar and new in {"text", "varchar"}:
        return True
    new_varchar = re.fullmatch(r"varchar\((\d+)\)", new)
    if old_varchar and old_varchar[1] and new_varchar:
        return int(new_varchar[1]) >= int(old_varchar[1])
    if old == "text" and new == "varchar":
        return True
    old_numeric = re.fullmatch(r"numeric\((\d+), ?(\d+)\)", old)
    new_numeric = re.fullmatch(r"numeric\((\d+), ?(\d+)\)", new)
    if old_numeric and new == "numeric":
        return True
    if old_numeric and new_numeric:
        return old_numeric[2] == new_numeric[2] and int(new_numeric[1]) >= int(old_numeric[1])
    return False
