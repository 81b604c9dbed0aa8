"""Personalisation (seed 003): the colour categories Szef adds, recolours and deletes.

Which records use a category is found from the model relations themselves, so a
field another app adds later (a foreign key to a category) is counted and moved
too. Deleting a category never deletes or breaks a record: the records move to
another category, or become uncategorised where the field allows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record, field_changes
from crm.categories.models import (
    ColourCategory,
    ContactGroup,
    ContactSource,
    CustomerStatus,
    CustomerType,
    DealCategory,
    DealStage,
    DealStatus,
    DealStatusCode,
    LossReason,
    Pipeline,
    TaskCategory,
    WinReason,
    pipeline_default,
)
from crm.common.errors import AppError
from crm.contracts.models import ContractType
from crm.expenses.models import ExpenseCategory
from crm.leads.models import LeadStatus
from crm.sales.models import Deal
from crm.sales.pipelines import stage_name_taken_message
from crm.tickets.models import TicketPriority, TicketStatus


@dataclass(frozen=True)
class CategoryKind:
    slug: str
    model: type[ColourCategory]
    section: str  # the Settings page listing it: contacts, tasks, sales
    title: str | Promise
    can_add: bool = True  # groups are created from the customer card
    # the URL name of the page that manages this list instead of the section page (its
    # section page only points there; the API /api/v1/settings/<slug>/ stays)
    managed_at: str = ""


KINDS: dict[str, CategoryKind] = {
    k.slug: k
    for k in [
        CategoryKind("contact-groups", ContactGroup, "contacts", gettext_lazy("Grupy"), can_add=False),
        CategoryKind("contact-sources", ContactSource, "contacts", gettext_lazy("Źródła pozyskania")),
        CategoryKind("customer-statuses", CustomerStatus, "contacts", gettext_lazy("Statusy klientów")),
        CategoryKind("customer-types", CustomerType, "contacts", gettext_lazy("Typy klientów")),
        CategoryKind("task-categories", TaskCategory, "tasks", gettext_lazy("Kategorie zadań")),
        CategoryKind("deal-categories", DealCategory, "sales", gettext_lazy("Kategorie")),
        CategoryKind("deal-statuses", DealStatus, "sales", gettext_lazy("Statusy")),
        CategoryKind("deal-stages", DealStage, "sales", gettext_lazy("Etapy"), managed_at="pipelines:list"),
        CategoryKind("win-reasons", WinReason, "sales", gettext_lazy("Powody wygranych")),
        CategoryKind("loss-reasons", LossReason, "sales", gettext_lazy("Powody przegranych")),
        CategoryKind("expense-categories", ExpenseCategory, "expenses", gettext_lazy("Kategorie wydatków")),
        CategoryKind("contract-types", ContractType, "contracts", gettext_lazy("Typy umów")),
        CategoryKind("lead-statuses", LeadStatus, "leads", gettext_lazy("Statusy leadów")),
        CategoryKind("ticket-priorities", TicketPriority, "tickets", gettext_lazy("Priorytety zgłoszeń")),
        CategoryKind("ticket-statuses", TicketStatus, "tickets", gettext_lazy("Statusy zgłoszeń")),
    ]
}
SECTIONS = {
    "contacts": gettext_lazy("Kontakty"),
    "tasks": gettext_lazy("Zadania"),
    "sales": gettext_lazy("Sprzedaż"),
    "expenses": gettext_lazy("Wydatki"),
    "contracts": gettext_lazy("Umowy"),
    "leads": gettext_lazy("Leady"),
    "tickets": gettext_lazy("Zgłoszenia"),
}


class CategoryError(AppError):
    """A category change refused; `field` names the form field to blame."""


@dataclass(frozen=True)
class Usage:
    """Where one relation to a category is used: `count` rows of `model` through `field`."""

    model: type[models.Model]
    field_name: str
    many: bool
    required: bool
    count: int

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)


def kinds_in_section(section: str) -> list[CategoryKind]:
    return [k for k in KINDS.values() if k.section == section]


def category_usages(category: ColourCategory) -> list[Usage]:
    usages = []
    for rel in type(category)._meta.related_objects:
        if rel.related_model is None or not isinstance(rel.field, models.Field):
            continue
        model = cast(type[models.Model], rel.related_model)
        field = rel.field
        if rel.many_to_many:
            count = model._default_manager.filter(**{field.name: category}).count()
            usages.append(Usage(model, field.name, True, False, count))
        elif rel.one_to_many or rel.one_to_one:
            count = model._default_manager.filter(**{field.name: category}).count()
            usages.append(Usage(model, field.name, False, not field.null, count))
    return usages


def category_in_use(category: ColourCategory) -> int:
    return sum(u.count for u in category_usages(category))


def category_can_uncategorise(category: ColourCategory) -> bool:
    """May the records be left without a category (False when a field requires one)?"""
    return not any(u.required and u.count for u in category_usages(category))


def category_default_replacement(category: ColourCategory) -> ColourCategory | None:
    """The suggested target: W toku for deal statuses, none otherwise."""
    if isinstance(category, DealStatus):
        return DealStatus.objects.filter(code=DealStatusCode.IN_PROGRESS).exclude(pk=category.pk).first()
    return None


def _name_clean(
    model: type[ColourCategory], name: str, exclude_pk: int | None = None, pipeline: Pipeline | None = None
) -> str:
    """Names are unique in their list; a stage's within its `pipeline` (the default one for a new stage)."""
    name = (name or "").strip()
    if not name:
        raise CategoryError(_("Podaj nazwę."), field="name")
    if len(name) > 100:
        raise CategoryError(_("Nazwa może mieć najwyżej 100 znaków."), field="name")
    names = DealStage.objects.filter(pipeline=pipeline) if pipeline is not None else model._default_manager
    clash = names.filter(name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise _name_taken(pipeline)
    return name


def _name_taken(pipeline: Pipeline | None) -> CategoryError:
    if pipeline is not None:
        return CategoryError(stage_name_taken_message(pipeline), field="name")
    return CategoryError(_("Taka nazwa już jest na liście."), field="name")


def _stage_pipeline(model: type[ColourCategory], item: ColourCategory | None = None) -> Pipeline | None:
    """The pipeline a stage's name must be unique in: its own, or the default one new stages
    added here go to (Settings > Lejki sprzedaży adds them to any pipeline)."""
    if model is not DealStage:
        return None
    if isinstance(item, DealStage) and item.pipeline_id is not None:
        return item.pipeline
    return pipeline_default()


def colour_clean(color: str) -> str:
    import re

    color = (color or "").strip()
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", color):
        raise CategoryError(_("Podaj kolor w formacie #RRGGBB."), field="color")
    return color.lower()


def category_create(
    *, actor: User | None, kind: CategoryKind, name: str, color: str, position: int | None = None
) -> ColourCategory:
    """Add an entry at `position` (1 = first; None or past the end = last)."""
    model = kind.model
    pipeline = _stage_pipeline(model)
    name = _name_clean(model, name, pipeline=pipeline)
    color = colour_clean(color)
    try:
        with transaction.atomic():
            last = (model._default_manager.aggregate(m=Max("position"))["m"] or 0) + 1
            item = model._default_manager.create(name=name, color=color, position=last)
            if position is not None:
                _positions_write(model, item, position)
            params = {"name": item.name}
            activity_record(actor=actor, kind=ActivityKind.CREATE, obj=item, code="category.created", params=params)
            return item
    except IntegrityError as exc:  # a concurrent add of the same name
        raise _name_taken(pipeline) from exc


def category_locked_message(category: ColourCategory) -> str:
    """Why a locked status cannot be deleted, naming the locked statuses of its list by
    their current names (Szef may have renamed them)."""
    names = (
        type(category)._default_manager.filter(locked=True).order_by("position", "id").values_list("name", flat=True)
    )
    return _(
        "„%(name)s” to jeden z zablokowanych statusów (%(names)s), na których opiera się system "
        "— można zmienić ich nazwę i kolor, ale nie można ich usunąć."
    ) % {"name": category.name, "names": ", ".join(names)}


def _positions_write(model: type[ColourCategory], item: ColourCategory, position: int) -> None:
    """Put `item` at `position` (1-based, clamped) and number the whole list 1..n."""
    rows = list(model._default_manager.select_for_update().order_by("position", "id"))
    order = [row for row in rows if row.pk != item.pk]
    index = min(max(position, 1), len(order) + 1) - 1
    order.insert(index, item)
    changed = []
    for number, row in enumerate(order, start=1):
        if row.position != number:
            row.position = number
            changed.append(row)
    model._default_manager.bulk_update(changed, ["position"])
    item.position = index + 1


@transaction.atomic
def category_move(*, category: ColourCategory, position: int) -> ColourCategory:
    """Move an entry to `position` in its list (1 = first); the others shift to make room.
    Boards, chips and reports show the lists in this order."""
    if position < 1:
        raise CategoryError(_("Pozycja musi być liczbą od 1."), field="position")
    _positions_write(type(category), category, position)
    return category


def category_position_after(*, model: type[ColourCategory], after: str) -> int | None:
    """The position a new entry takes when added after the entry with id `after`
    ("first": at the top; "" or unknown: at the end, None)."""
    if after == "first":
        return 1
    if not (after.isascii() and after.isdigit()) or len(after) > 18:
        return None
    ids = list(model._default_manager.order_by("position", "id").values_list("pk", flat=True))
    return ids.index(int(after)) + 2 if int(after) in ids else None


def category_update(*, actor: User | None, category: ColourCategory, name: str, color: str) -> ColourCategory:
    before = {"name": category.name, "color": category.color}
    pipeline = _stage_pipeline(type(category), category)
    category.name = _name_clean(type(category), name, exclude_pk=category.pk, pipeline=pipeline)
    category.color = colour_clean(color)
    try:
        with transaction.atomic():
            category.save(update_fields=["name", "color"])
            changes = field_changes(before, {"name": category.name, "color": category.color})
            if changes:
                params = {"name": category.name, "changes": changes}
                activity_record(
                    actor=actor, kind=ActivityKind.UPDATE, obj=category, code="category.updated", params=params
                )
    except IntegrityError as exc:
        raise _name_taken(pipeline) from exc
    return category


def category_delete(
    *,
    actor: User | None,
    category: ColourCategory,
    move_to: ColourCategory | None = None,
    uncategorise: bool = False,
) -> int:
    """Delete `category`; records using it move to `move_to` or (if allowed and asked)
    become uncategorised. Returns how many records were touched. The moves, the
    deletion and its activity-log entry happen in one transaction."""
    model = type(category)
    if category.locked:
        raise CategoryError(category_locked_message(category))
    if move_to is not None and (type(move_to) is not model or move_to.pk == category.pk):
        raise CategoryError(_("Wybierz inną pozycję z tej samej listy."), field="move_to")
    if (
        isinstance(category, DealStage)
        and isinstance(move_to, DealStage)
        and move_to.pipeline_id != category.pipeline_id
    ):
        raise CategoryError(_("Wybierz etap tego samego lejka."), field="move_to")
    with transaction.atomic():
        category = model._default_manager.select_for_update().get(pk=category.pk)
        usages = category_usages(category)
        in_use = sum(u.count for u in usages)
        if isinstance(category, DealStage) and in_use:  # deals left without a stage stay in its pipeline
            Deal.objects.filter(stage=category, pipeline__isnull=True).update(pipeline_id=category.pipeline_id)
        if in_use and move_to is None:
            if not uncategorise:
                raise CategoryError(
                    _("Rekordy z tą pozycją: %(count)s. Wskaż, dokąd je przenieść, albo zostaw je bez kategorii.")
                    % {"count": in_use},
                    field="move_to",
                )
            if any(u.required and u.count for u in usages):
                raise CategoryError(
                    _("Rekordy muszą mieć tę wartość — wskaż, dokąd je przenieść."),
                    field="move_to",
                )
        for usage in usages:
            if not usage.count:
                continue
            if usage.many:
                _m2m_move(usage, category, move_to)
            else:
                # update(): no per-row signals; the deletion entry in the log says what happened.
                usage.model._default_manager.filter(**{usage.field_name: category}).update(
                    **{usage.field_name: move_to}
                )
        _deletion_log(actor, category, in_use, move_to)  # while the row still has its id
        category.delete()
    return in_use


def _deletion_log(actor: User | None, category: ColourCategory, moved: int, move_to: ColourCategory | None) -> None:
    """One clear entry, saying where the records went (same transaction)."""
    params: dict[str, Any] = {"name": category.name, "moved": moved}
    if not moved:
        code = "category.deleted"
    elif move_to is not None:
        code, params["to"] = "category.deleted_moved", move_to.name
    else:
        code = "category.deleted_cleared"
    activity_record(actor=actor, kind=ActivityKind.DELETE, obj=category, code=code, params=params)


def _m2m_move(usage: Usage, category: ColourCategory, move_to: ColourCategory | None) -> None:
    field: Any = usage.model._meta.get_field(usage.field_name)
    through = field.remote_field.through
    source_col = field.m2m_field_name()
    target_col = field.m2m_reverse_field_name()
    rows = through._default_manager.filter(**{target_col: category})
    if move_to is not None:
        owners = list(rows.values_list(f"{source_col}_id", flat=True))
        already = set(
            through._default_manager.filter(**{target_col: move_to, f"{source_col}_id__in": owners}).values_list(
                f"{source_col}_id", flat=True
            )
        )
        through._default_manager.bulk_create(
            [through(**{f"{source_col}_id": o, f"{target_col}_id": move_to.pk}) for o in owners if o not in already]
        )
    rows.delete()
