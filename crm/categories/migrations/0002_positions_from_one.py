"""Number every category list 1..n in its current order (position 1 = first), as the
Settings reorder and the API's writable `position` expect."""

from __future__ import annotations

from typing import Any

from django.db import migrations

MODELS = [
    "ContactGroup",
    "ContactSource",
    "CustomerStatus",
    "CustomerType",
    "TaskCategory",
    "DealCategory",
    "DealStatus",
    "DealStage",
    "WinReason",
    "LossReason",
]


def renumber(apps: Any, schema_editor: Any) -> None:
    for name in MODELS:
        model = apps.get_model("categories", name)
        rows = list(model.objects.order_by("position", "id"))
        for number, row in enumerate(rows, start=1):
            row.position = number
        model.objects.bulk_update(rows, ["position"])


class Migration(migrations.Migration):
    dependencies = [("categories", "0001_initial")]

    operations = [migrations.RunPython(renumber, migrations.RunPython.noop)]
