"""Writes of deals. Pages and the API call these, so the rules hold everywhere:

- Wygrane needs a win reason, Przegrane a loss reason (a ValidationError naming
  the field, nothing saved);
- Wygrane and Przegrane close the deal (`closed_at` set), any other status
  reopens it (`closed_at` cleared, reasons dropped); Odroczone is not closed but
  stays off the open pipeline (see selectors.open_deals_q);
- every change of stage or status is written to the customer's timeline.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.access import record_owner_for, sees_everything
from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record, field_changes
from crm.categories.models import (
    DealCategory,
    DealStage,
    DealStatus,
    DealStatusCode,
    LossReason,
    Pipeline,
    WinReason,
    pipeline_default,
)
from crm.common.events import event_emit
from crm.common.records import record_event
from crm.notifications.models import NotificationKind
from crm.notifications.services import notify
from crm.sales.customers import customers_visible_to
from crm.sales.models import Deal
from crm.sales.selectors import deal_change_check
from crm.trash.services import trash_keep

CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
CLOSING_CODES = (DealStatusCode.WON, DealStatusCode.LOST)
EDITABLE_FIELDS = (
    "custom_fields",
    "name",
    "customer",
    "value",
    "currency",
    "category",
    "status",
    "pipeline",
    "stage",
    "win_reason",
    "loss_reason",
    "owner",
    "expected_close",
)


def default_status() -> DealStatus:
    status = DealStatus.objects.filter(code=DealStatusCode.IN_PROGRESS).first()
    if status is None:  # the locked statuses are created on signup; never deleted
        raise ValidationError({"status": _("Brak statusu „W toku”. Sprawdź ustawienia sprzedaży.")})
    return status


def default_stage(pipeline: Pipeline | None = None) -> DealStage | None:
    """The first stage of `pipeline` (of the default pipeline when None)."""
    pipeline = pipeline or pipeline_default()
    return DealStage.objects.filter(pipeline=pipeline).order_by("position", "id").first()


def deal_pipeline_of(deal: Deal) -> Pipeline:
    """The pipeline a deal is in: its own, else its stage's (deals older than pipelines),
    else the default one."""
    if deal.pipeline_id is not None:
        return deal.pipeline  # type: ignore[return-value]
    if deal.stage is not None and deal.stage.pipeline is not None:
        return deal.stage.pipeline
    return pipeline_default()


def _stage_in_pipeline_check(stage: DealStage | None, pipeline: Pipeline) -> None:
    """A deal's stage must be one of its pipeline's stages (ValidationError on `stage`)."""
    if stage is not None and stage.pipeline_id != pipeline.pk:
        other = stage.pipeline.name if stage.pipeline else ""
        raise ValidationError(
            {
                "stage": _(
                    "Etap „%(stage)s” należy do lejka „%(other)s”. Wybierz etap z lejka „%(pipeline)s” "
                    "albo zmień lejek szansy."
                )
                % {"stage": stage.name, "other": other, "pipeline": pipeline.name}
            }
        )


def deal_rules_check(
    *,
    name: str,
    value: Decimal | None,
    currency: str,
    status: DealStatus,
    win_reason: WinReason | None,
    loss_reason: LossReason | None,
) -> None:
    """Raise a ValidationError (per field, in the user's language) when the deal breaks a rule."""
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = _("Podaj nazwę szansy sprzedaży.")
    if value is None or value < 0:
        errors["value"] = _("Wartość nie może być ujemna.")
    if not CURRENCY_RE.match(currency or ""):
        errors["currency"] = _("Podaj kod waluty z trzech wielkich liter, np. PLN lub EUR.")
    if status.code == DealStatusCode.WON and win_reason is None:
        errors["win_reason"] = _("Aby oznaczyć szansę jako wygraną, wybierz powód wygranej.")
    if status.code == DealStatusCode.LOST and loss_reason is None:
        errors["loss_reason"] = _("Aby oznaczyć szansę jako przegraną, wybierz powód przegranej.")
    if errors:
        raise ValidationError(errors)


def _status_effects_apply(deal: Deal, *, status_changed: bool) -> None:
    """Closing sets closed_at (once per closing); reopening clears it and the reasons."""
    code = deal.status.code
    if code == DealStatusCode.WON:
        deal.loss_reason = None
    elif code == DealStatusCode.LOST:
        deal.win_reason = None
    else:
        deal.win_reason = None
        deal.loss_reason = None
    if code in CLOSING_CODES:
        if status_changed or deal.closed_at is None:
            deal.closed_at = timezone.now()
    else:
        deal.closed_at = None


def _status_label(deal: Deal) -> str:
    reason = deal.win_reason or deal.loss_reason
    if reason is None:
        return deal.status.name
    return _("%(status)s (powód: %(reason)s)") % {"status": deal.status.name, "reason": reason.name}


def _changes_record(
    deal: Deal, *, actor: User | None, old_stage: DealStage | None, old_status: DealStatus | None, created: bool
) -> None:
    if created:
        return
    if old_stage != deal.stage:
        old, new = old_stage.name if old_stage else _("bez etapu"), deal.stage.name if deal.stage else _("bez etapu")
        record_event(
            obj=deal,
            actor=actor,
            kind="deal_stage_changed",
            message=_("Szansa „%(deal)s”: etap zmieniony z „%(old)s” na „%(new)s”.")
            % {"deal": deal.name, "old": old, "new": new},
            code="deal.stage_changed",
            params={"name": deal.name, "from": old, "to": new},
        )
    if old_status != deal.status:
        old, new = old_status.name if old_status else "", _status_label(deal)
        record_event(
            obj=deal,
            actor=actor,
            kind="deal_status_changed",
            message=_("Szansa „%(deal)s”: status zmieniony z „%(old)s” na „%(new)s”.")
            % {"deal": deal.name, "old": old, "new": new},
            code="deal.status_changed",
            params={"name": deal.name, "from": old, "to": new},
        )


def _shown(deal: Deal) -> dict[str, str]:
    """The editable fields as the activity log shows them (names, not ids)."""
    shown = {}
    for name in EDITABLE_FIELDS:
        value = getattr(deal, name)
        shown[name] = "" if value is None else value.isoformat() if isinstance(value, date) else str(value)
    return shown


def _save(
    deal: Deal,
    *,
    actor: User | None,
    old_stage: DealStage | None,
    old_status: DealStatus | None,
    before: dict[str, str] | None = None,
    old_owner_id: int | None = None,
) -> Deal:
    created = deal.pk is None
    deal_rules_check(
        name=deal.name,
        value=deal.value,
        currency=deal.currency,
        status=deal.status,
        win_reason=deal.win_reason,
        loss_reason=deal.loss_reason,
    )
    _status_effects_apply(deal, status_changed=created or old_status != deal.status)
    deal.name = deal.name.strip()
    deal.save()
    if deal.owner_id is not None and (created or deal.owner_id != old_owner_id):
        notify(
            recipient=deal.owner,
            kind=NotificationKind.DEAL_ASSIGNED,
            title=deal.name,
            url=reverse("sales:deal_detail", args=[deal.pk]),
            actor=actor,
        )
    _changes_record(deal, actor=actor, old_stage=old_stage, old_status=old_status, created=created)
    if created:
        activity_record(
            actor=actor, kind=ActivityKind.CREATE, obj=deal, code="deal.created", params={"name": deal.name}
        )
        event_emit("deal.created", deal, actor=actor)
    else:
        changes = field_changes(before or {}, _shown(deal))
        if changes:
            params = {"name": deal.name, "changes": changes}
            activity_record(actor=actor, kind=ActivityKind.UPDATE, obj=deal, code="deal.updated", params=params)
            event_emit("deal.updated", deal, actor=actor)
    _deal_events_emit(deal, actor=actor, old_stage=old_stage, old_status=old_status, created=created)
    return deal


def _deal_events_emit(
    deal: Deal, *, actor: User | None, old_stage: DealStage | None, old_status: DealStatus | None, created: bool
) -> None:
    """Moves webhooks and automations listen to (crm.common.events): a new stage, won, lost."""
    if deal.stage_id is not None and (created or deal.stage_id != (old_stage.pk if old_stage else None)):
        event_emit("deal.stage_changed", deal, actor=actor, stage_id=deal.stage_id)
    if created or old_status is None or old_status.pk != deal.status_id:
        if deal.status.code == DealStatusCode.WON:
            event_emit("deal.won", deal, actor=actor)
        elif deal.status.code == DealStatusCode.LOST:
            event_emit("deal.lost", deal, actor=actor)


@transaction.atomic
def deal_create(
    *,
    actor: User | None,
    name: str,
    customer: Any,
    value: Decimal = Decimal("0"),
    currency: str = "PLN",
    category: DealCategory | None = None,
    status: DealStatus | None = None,
    pipeline: Pipeline | None = None,
    stage: DealStage | None = None,
    win_reason: WinReason | None = None,
    loss_reason: LossReason | None = None,
    owner: User | None = None,
    expected_close: date | None = None,
    custom_fields: dict[str, Any] | None = None,
) -> Deal:
    """A new deal; W toku unless given; in the stage's pipeline (or `pipeline`, else the
    default one) and its first stage unless given; owned by `actor` unless given (a
    restricted Pracownik owns what he creates, of a customer he sees). A stage of
    another pipeline than `pipeline` is refused."""
    if pipeline is None:
        pipeline = stage.pipeline if stage is not None and stage.pipeline else pipeline_default()
    _stage_in_pipeline_check(stage, pipeline)
    owner = record_owner_for(actor=actor, owner=owner if owner is not None else actor)
    if (
        actor is not None
        and not sees_everything(actor)
        and not customers_visible_to(actor).filter(pk=customer.pk).exists()
    ):
        raise ValidationError({"customer": _("Wybierz klienta z listy.")})
    deal = Deal(
        name=name,
        customer=customer,
        value=value,
        currency=(currency or "PLN").upper(),
        category=category,
        status=status or default_status(),
        pipeline=pipeline,
        stage=stage if stage is not None else default_stage(pipeline),
        win_reason=win_reason,
        loss_reason=loss_reason,
        owner=owner,
        expected_close=expected_close,
        custom_fields=custom_fields or {},
    )
    return _save(deal, actor=actor, old_stage=None, old_status=None)


@transaction.atomic
def deal_update(*, deal: Deal, actor: User | None, **changes: Any) -> Deal:
    """Change any of EDITABLE_FIELDS; stage and status changes go to the timeline."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"deal_update got unknown fields: {sorted(unknown)}")
    if actor is not None:  # None: the system (demo data, jobs), not a person
        deal_change_check(actor, deal)
    if "owner" in changes:
        changes["owner"] = record_owner_for(actor=actor, owner=changes["owner"])
    pipeline = deal_pipeline_of(deal)
    if deal.pipeline_id is None:  # older than pipelines: in its stage's, which is no change to log
        deal.pipeline = pipeline
    old_stage, old_status, before, old_owner_id = deal.stage, deal.status, _shown(deal), deal.owner_id
    if changes.get("pipeline") is not None and changes["pipeline"].pk != pipeline.pk:
        pipeline = changes["pipeline"]
        if "stage" not in changes:  # another pipeline: its first stage
            changes["stage"] = default_stage(pipeline)
    changes["pipeline"] = pipeline
    _stage_in_pipeline_check(changes.get("stage", deal.stage), pipeline)
    for name, value in changes.items():
        setattr(deal, name, value)
    if "currency" in changes:
        deal.currency = (deal.currency or "").upper()
    return _save(
        deal, actor=actor, old_stage=old_stage, old_status=old_status, before=before, old_owner_id=old_owner_id
    )


def deal_move_stage(*, deal: Deal, stage: DealStage | None, actor: User | None) -> Deal:
    """Drag and drop on the board: the deal goes to another stage."""
    if deal.stage_id == (stage.pk if stage else None):
        return deal
    return deal_update(deal=deal, actor=actor, stage=stage)


def deal_close(
    *,
    deal: Deal,
    status: DealStatus,
    actor: User | None,
    win_reason: WinReason | None = None,
    loss_reason: LossReason | None = None,
) -> Deal:
    """Change the status (win, lose, postpone, reopen) with the reason the status needs."""
    return deal_update(deal=deal, actor=actor, status=status, win_reason=win_reason, loss_reason=loss_reason)


@transaction.atomic
def deal_delete(*, deal: Deal, actor: User) -> None:
    deal_change_check(actor, deal)
    record_event(
        obj=deal.customer,  # the deal itself is about to go: the event stays on its customer
        actor=actor,
        kind="deal_deleted",
        message=_("Usunięto szansę sprzedaży „%(deal)s”.") % {"deal": deal.name},
        code="deal.deleted",
        params={"name": deal.name},
    )
    activity_record(actor=actor, kind=ActivityKind.DELETE, obj=deal, code="deal.deleted", params={"name": deal.name})
    trash_keep(obj=deal, actor=actor)
    deal.delete()
