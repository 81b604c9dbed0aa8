"""Rows in company A with the id `MARK_ID` in every CRM table (and text `MARK_TEXT`).

Whatever a URL's `<int:pk>` means (a customer, a deal, a note, a file...), the id
`MARK_ID` exists in company A and not in company B, so a request from B with that
id tests the real "another company's object" case. Models are filled generically
from their fields, so a model added later gets its row too (a model that cannot be
filled automatically is listed in `Filled.skipped`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from tests.security.urlmap import MARK_ID, MARK_TEXT, MARK_UUID

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@dataclass
class Filled:
    rows: dict[str, Any] = field(default_factory=dict)  # label -> instance
    skipped: dict[str, str] = field(default_factory=dict)  # label -> why

    def pk(self, label: str) -> Any:
        row = self.rows.get(label)
        return row.pk if row is not None else None


def crm_models() -> list[type[models.Model]]:
    wanted = []
    for config in apps.get_app_configs():
        if config.name.startswith("crm."):
            wanted += [m for m in config.get_models() if not m._meta.proxy and m._meta.managed]
    return wanted


def _value(f: models.Field, label: str) -> Any:  # type: ignore[type-arg]
    if f.choices:
        return f.choices[0][0]
    if isinstance(f, models.EmailField):
        return f"alfa-secret-{label.replace('.', '-')}@alfa.test"[: f.max_length or 254]
    if isinstance(f, models.URLField):
        return "https://alfa.test/secret"
    if isinstance(f, models.SlugField):
        return f"alfa-secret-{MARK_ID}"[: f.max_length or 50]
    if isinstance(f, models.GenericIPAddressField):
        return "127.0.0.1"
    if isinstance(f, models.UUIDField):
        return uuid.UUID(MARK_UUID)
    if isinstance(f, (models.CharField, models.TextField)):
        text = f"{MARK_TEXT} {label}"
        return text[: f.max_length] if f.max_length else text
    if isinstance(f, models.BooleanField):
        return False
    if isinstance(f, (models.DecimalField,)):
        return Decimal("1")
    if isinstance(f, models.FloatField):
        return 1.0
    if isinstance(f, models.IntegerField):
        return 1
    if isinstance(f, models.DateTimeField):
        return timezone.now()
    if isinstance(f, models.DateField):
        return timezone.localdate()
    if isinstance(f, models.TimeField):
        return timezone.localtime().time()
    if isinstance(f, models.DurationField):
        return timedelta(hours=1)
    if isinstance(f, ArrayField):
        return []
    if isinstance(f, models.JSONField):
        return {}
    if isinstance(f, models.BinaryField):
        return b""
    return None


def rows_fill() -> Filled:
    """Create (in the active company schema) one `MARK_ID` row per CRM model."""
    from crm.accounts.models import Role, User

    filled = Filled()
    user = User.objects.filter(pk=MARK_ID).first() or User.objects.create(
        pk=MARK_ID, email="alfa-secret@alfa.test", name=f"{MARK_TEXT} user", role=Role.PRACOWNIK
    )
    filled.rows["accounts.user"] = user
    in_progress: set[str] = set()

    def make(model: type[models.Model]) -> Any:
        label = model._meta.label_lower
        if label in filled.rows:
            return filled.rows[label]
        if label in filled.skipped or label in in_progress:
            return None
        existing = model._default_manager.filter(pk=MARK_ID).first()
        if existing is not None:
            filled.rows[label] = existing
            return existing
        in_progress.add(label)
        kwargs: dict[str, Any] = {"pk": MARK_ID}
        files: list[tuple[str, ContentFile]] = []  # type: ignore[type-arg]
        try:
            for f in model._meta.concrete_fields:
                if f.primary_key or f.auto_created:
                    continue
                if isinstance(f, models.ForeignKey):
                    related = f.related_model
                    target = make(related) if related is not model else None  # type: ignore[arg-type]
                    if target is None and not f.null:
                        target = related._default_manager.order_by("pk").first()  # type: ignore[union-attr]
                    if target is None and not f.null:
                        raise ValueError(f"no {related} for {f.name}")
                    kwargs[f.name] = target
                    continue
                if isinstance(f, models.FileField):
                    if isinstance(f, models.ImageField):
                        files.append((f.name, ContentFile(PNG_1PX, name="alfa-secret.png")))
                    else:
                        files.append((f.name, ContentFile(f"{MARK_TEXT} file".encode(), name="alfa-secret.txt")))
                    continue
                if f.has_default() and not isinstance(f, (models.CharField, models.TextField)):
                    continue
                if getattr(f, "editable", True) is False and f.has_default():
                    continue
                value = _value(f, label)
                if value is not None:
                    kwargs[f.name] = value
            obj = model(**kwargs)
            for name, content in files:
                getattr(obj, name).save(content.name, content, save=False)
            with transaction.atomic():
                obj.save()
            filled.rows[label] = obj
            return obj
        except (IntegrityError, ValueError, TypeError, AttributeError) as exc:
            filled.skipped[label] = f"{type(exc).__name__}: {exc}"
            return None
        finally:
            in_progress.discard(label)

    for model in crm_models():
        make(model)
    return filled


def rows_snapshot(filled: Filled) -> dict[str, dict[str, Any]]:
    """Field values of every filled row, read again from the database."""
    from django.forms.models import model_to_dict

    out = {}
    for label, row in filled.rows.items():
        fresh = type(row)._default_manager.filter(pk=row.pk).first()
        out[label] = model_to_dict(fresh) if fresh is not None else {}
        out[label].pop("last_login", None)
    return out
