"""The customer statuses the home page counts by code (Nowy, Bieżący, Formalny, Do
kontaktu) are locked like the four sales statuses: rename and recolour, never delete."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def lock(apps: Any, schema_editor: Any) -> None:
    apps.get_model("categories", "CustomerStatus").objects.exclude(code="").update(locked=True)


def unlock(apps: Any, schema_editor: Any) -> None:
    apps.get_model("categories", "CustomerStatus").objects.exclude(code="").update(locked=False)


class Migration(migrations.Migration):
    dependencies = [("categories", "0003_taskcategory_code")]

    operations = [migrations.RunPython(lock, unlock)]
