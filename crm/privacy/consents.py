"""Marketing consents of persons (RODO, issue 18): reading the current state and the
history, and recording a change.

Whose: a customer that is a natural person (`kind` person) or a contact person; a
company customer's consents are its contact persons'. Who: anyone who may open the
person's card records and reads consents (a Pracownik takes a consent on the phone);
a person he cannot open is a 404, as on the card. A change is a new ConsentEvent (the
history is never edited); the newest event of a channel is the current state. Every
change is written to the activity log with the channel, the state and the source only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.accounts.access import sees_everything
from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.errors import AppError
from crm.contacts.models import ContactPerson, Customer, CustomerKind
from crm.contacts.selectors import contacts_visible_to, customers_visible_to
from crm.privacy.models import ConsentChannel, ConsentEvent, ConsentSource

Person = Customer | ContactPerson

# A consent's date may be a little ahead of the server clock (a browser's clock), not more.
FUTURE_SLACK = timedelta(minutes=5)
NOT_A_PERSON = _("Ten klient jest firmą: zgody zapisuje się przy jego osobach kontaktowych.")


@dataclass(frozen=True)
class ConsentState:
    channel: str
    label: Any
    event: ConsentEvent | None

    @property
    def granted(self) -> bool:
        return bool(self.event and self.event.granted)


def consent_customer_for(user: User, pk: int) -> Customer:
    """The customer `pk` if `user` may open it (404 otherwise)."""
    return get_object_or_404(customers_visible_to(user, everything=sees_everything(user)), pk=pk)


def consent_contact_for(user: User, pk: int) -> ContactPerson:
    """The contact person `pk` if `user` may open their customer (404 otherwise)."""
    qs = contacts_visible_to(user, everything=sees_everything(user)).select_related("customer")
    return get_object_or_404(qs, pk=pk)


def consents_apply(person: Person) -> bool:
    """Whether `person` has consents of their own (a company customer has not)."""
    return isinstance(person, ContactPerson) or person.kind == CustomerKind.PERSON


def _of(person: Person) -> dict[str, Any]:
    return {"contact": person} if isinstance(person, ContactPerson) else {"customer": person}


def consent_history(person: Person) -> QuerySet[ConsentEvent]:
    """Every change of the person's consents, newest first."""
    return ConsentEvent.objects.filter(**_of(person)).select_related("recorded_by").order_by("-given_at", "-id")


def consent_states(person: Person) -> list[ConsentState]:
    """The current state of each channel: its newest event (None: never recorded, no consent)."""
    newest: dict[str, ConsentEvent] = {}
    for event in consent_history(person):
        newest.setdefault(event.channel, event)
    return [ConsentState(channel, label, newest.get(channel)) for channel, label in ConsentChannel.choices]


def consent_summaries_of(kind: str, persons: Sequence[Model]) -> dict[int, Any]:
    """{pk: {"email": state|None, "phone": state|None}} of many customers (`kind`
    "customer") or contact persons ("contact") in one query; None for a company customer."""
    people = [p for p in persons if isinstance(p, (Customer, ContactPerson)) and consents_apply(p)]
    out: dict[int, Any] = {p.pk: None for p in persons}
    if not people:
        return out
    column = "contact_id" if kind == "contact" else "customer_id"
    newest: dict[tuple[int, str], ConsentEvent] = {}
    events = ConsentEvent.objects.filter(**{f"{column}__in": [p.pk for p in people]}).order_by("-given_at", "-id")
    for event in events:
        newest.setdefault((getattr(event, column), event.channel), event)
    for person in people:
        out[person.pk] = {
            channel: _summary(newest.get((person.pk, channel))) for channel, _label in ConsentChannel.choices
        }
    return out


def _summary(event: ConsentEvent | None) -> dict[str, Any] | None:
    if event is None:
        return None
    return {"granted": event.granted, "given_at": event.given_at.isoformat(), "source": event.source}


def consent_event_json(event: ConsentEvent | None) -> dict[str, Any] | None:
    if event is None:
        return None
    return {
        "id": event.pk,
        "channel": event.channel,
        "granted": event.granted,
        "given_at": event.given_at.isoformat(),
        "source": event.source,
        "source_display": str(event.get_source_display()),
        "note": event.note,
        "recorded_by": {"id": event.recorded_by_id, "name": str(event.recorded_by)} if event.recorded_by else None,
        "recorded_at": event.created_at.isoformat(),
    }


def consents_json(person: Person) -> dict[str, Any]:
    """The API's and the export's view: {"email": current|None, "phone": ..., "history": [...]}."""
    data: dict[str, Any] = {state.channel: consent_event_json(state.event) for state in consent_states(person)}
    data["history"] = [consent_event_json(event) for event in consent_history(person)]
    return data


@transaction.atomic
def consent_record(
    *,
    person: Person,
    actor: User,
    channel: str,
    granted: bool,
    source: str,
    given_at: datetime | None = None,
    note: str = "",
) -> ConsentEvent:
    """Records a consent given or withdrawn (a new event: the history stays as it was)."""
    if not consents_apply(person):
        raise AppError(str(NOT_A_PERSON))
    if channel not in ConsentChannel.values:
        raise AppError(str(_("Wybierz zgodę: marketing e-mailowy albo telefoniczny.")), field="channel")
    if source not in ConsentSource.values:
        raise AppError(str(_("Wybierz, jak zgoda została wyrażona lub wycofana.")), field="source")
    now = timezone.now()
    given_at = given_at or now
    if given_at > now + FUTURE_SLACK:
        raise AppError(str(_("Data zgody nie może być w przyszłości.")), field="given_at")
    note = " ".join((note or "").split())
    if len(note) > 300:
        raise AppError(str(_("Uwagi mogą mieć najwyżej 300 znaków.")), field="note")
    event = ConsentEvent.objects.create(
        **_of(person),
        channel=channel,
        granted=bool(granted),
        given_at=given_at,
        source=source,
        note=note,
        recorded_by=actor,
    )
    activity_record(
        actor=actor,
        kind=ActivityKind.UPDATE,
        obj=person,
        code=f"consent.{channel}.{'granted' if granted else 'withdrawn'}",
        params={"channel": channel, "source": source},
    )
    return event
