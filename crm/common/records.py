"""The record-type registry: what a record app declares so that the features above
it (notes and files, the timeline, cards, hand-over on deactivation, category usage,
the activity log) work for it without importing it.

A record app registers in its `AppConfig.ready()`:

    record_type_register(RecordType(key="deal", model=Deal, visible=deals_visible_to, ...))

and features ask: `record_types()`, `record_type("deal")`, `record_type_of(obj)`.
Features that add to other records' cards register `CardSection`s; services that want
an entry on a record's timeline call `record_event(...)`, which the timeline receives.
Nothing here imports a project app: this module is the bottom layer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Model, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString

from crm.common.types import AuthedRequest, AuthUser

Label = str | Promise


@dataclass(frozen=True)
class RecordType:
    """One kind of CRM record (customer, deal, task, and every module added later)."""

    key: str  # "customer": used in URLs (/notes/customer/5/), forms and the registry
    key_plural: str  # "customers": form fields (customers_to), counts
    model: type[Model]
    label: Label  # "klient"
    label_plural: Label  # "Klienci"
    # The rule of who sees what: the queryset of records this user may open (404 otherwise).
    visible: Callable[[AuthUser], QuerySet[Any]]
    # The card's URL name, called with the record's pk.
    card_url_name: str
    # Where the record points at its customer ("" for the customer itself, None if never).
    customer_field: str | None = None
    # Fields searched by the global search (crm.search): matched folded, without case or
    # diacritics, as SearchFold(*search_fields); give the model a trigram index on that
    # expression (see crm.common.search) to keep the search fast.
    search_fields: tuple[str, ...] = ()
    # A stored column already folded (e.g. the customer's search_text) matched instead.
    search_text_field: str = ""
    # A stored column equal to SearchFold(*search_fields) (a GeneratedField with a trigram
    # index), matched instead of the expression: the index's recheck then reads a column
    # rather than folding every candidate row, which matters for common words.
    search_fold_field: str = ""
    # The attribute whose value the card URL takes ("customer_id": a contact person opens
    # its customer's card); False in `in_global_search` keeps a type out of it.
    card_pk_field: str = "pk"
    in_global_search: bool = True
    # Foreign keys into crm.categories (settings shows how many records use a category).
    category_fields: tuple[str, ...] = ()
    # The person responsible: deactivating staff hands these over to someone else.
    owner_field: str | None = None
    handover_label: Label = ""  # "klientów": what is missing in "Wskaż osobę, która przejmie: klientów."
    handover_field_label: Label = ""  # "Klientów przejmuje": the field on the deactivation form
    # Notes and files may be attached (the notes app keeps one foreign key per type).
    has_notes: bool = False
    # Columns of the CSV/XLSX export: (field or attribute, header).
    export_columns: tuple[tuple[str, Label], ...] = ()
    # On a customer's timeline, a record of this type appears when created: the label
    # ("Nowa szansa sprzedaży") and the template showing it (gets `obj`).
    timeline_label: Label = ""
    timeline_template: str = ""
    icon: str = "bi-circle"  # Bootstrap Icons class shown next to the record
    # Relations a list of these records shows (select_related in one query).
    list_related: tuple[str, ...] = ()
    # Where the type stands in lists of types (hand-over form, search results).
    position: int = 100
    # Szef may define custom fields for it (crm.customfields): the model then has a
    # `custom_fields` JSONField (default {}) and a GIN index on it (jsonb_path_ops).
    custom_fields: bool = False

    def card_url(self, obj: Model) -> str:
        return reverse(self.card_url_name, args=[getattr(obj, self.card_pk_field)])

    def customer_id_of(self, obj: Model) -> int | None:
        if self.customer_field is None:
            return None
        if self.customer_field == "":
            return int(obj.pk)
        value = getattr(obj, f"{self.customer_field}_id", None)
        return int(value) if value is not None else None


_types: dict[str, RecordType] = {}


def record_type_register(record_type: RecordType) -> None:
    """Declare a record type (called from the owning app's `ready()`; idempotent by key)."""
    _types[record_type.key] = record_type


def record_types() -> list[RecordType]:
    return sorted(_types.values(), key=lambda t: (t.position, t.key))


def record_type(key: str) -> RecordType:
    """The registered type named `key`; KeyError for an unknown one (callers turn it into a 404)."""
    return _types[key]


def record_type_of(obj: Model | type[Model]) -> RecordType:
    model = obj if isinstance(obj, type) else type(obj)
    for record_type_ in _types.values():
        if issubclass(model, record_type_.model):
            return record_type_
    raise KeyError(model.__name__)


# --- sections that features add to a record's card ------------------------------


# (request, the card's record) -> the section template's context.
SectionContext = Callable[[AuthedRequest, Any], dict[str, Any]]


@dataclass(frozen=True)
class CardSection:
    """A block on the card of `host` records, contributed by another app.

    `place` is "main" or "side" for a block on the card, or "tab" for a tab of a
    tabbed card (the customer's); `available(obj)` may hide it for some records.
    """

    host: str
    key: str
    label: Label
    template: str
    context: SectionContext
    place: str = "main"
    order: int = 100
    available: Callable[[Any], bool] | None = None


_sections: dict[tuple[str, str], CardSection] = {}


def card_section_register(section: CardSection) -> None:
    _sections[(section.host, section.key)] = section


def card_sections(host: str, obj: Any, *, place: str | None = None) -> list[CardSection]:
    found = [
        s
        for s in _sections.values()
        if s.host == host and (place is None or s.place == place) and (s.available is None or s.available(obj))
    ]
    return sorted(found, key=lambda s: (s.order, s.key))


def card_section(host: str, key: str) -> CardSection | None:
    return _sections.get((host, key))


def card_sections_render(request: AuthedRequest, host: str, obj: Any, *, places: Iterable[str]) -> dict[str, list[str]]:
    """HTML of every block on the card, by place: {"main": [...], "side": [...]}."""
    rendered: dict[str, list[str]] = {place: [] for place in places}
    for section in card_sections(host, obj):
        if section.place in rendered:
            context = {host: obj, "obj": obj, **section.context(request, obj)}
            rendered[section.place].append(SafeString(render_to_string(section.template, context, request=request)))
    return rendered


# --- events on a record's timeline ----------------------------------------------------


class EventSink(Protocol):
    def __call__(
        self,
        *,
        objs: Sequence[Model],
        kind: str,
        message: str,
        actor: AuthUser | None,
        code: str,
        params: dict[str, Any],
    ) -> None: ...


_event_sinks: list[EventSink] = []


def record_event_sink_register(sink: EventSink) -> None:
    """The timeline (crm.notes) receives what services report about records."""
    if sink not in _event_sinks:
        _event_sinks.append(sink)


def record_events(
    *,
    objs: Sequence[Model],
    kind: str,
    message: str,
    actor: AuthUser | None,
    code: str = "",
    params: dict[str, Any] | None = None,
) -> None:
    """Report "`actor` did `kind` to each of `objs`" for the records' timelines: an
    explicit call from the record's service, inside its transaction. `code` and
    `params` let the timeline show the event in the reader's language (`message` is
    the Polish text, kept as a fallback)."""
    if not objs:
        return
    for sink in _event_sinks:
        sink(objs=objs, kind=kind, message=message, actor=actor, code=code, params=params or {})


def record_event(
    *, obj: Model, kind: str, message: str, actor: AuthUser | None, code: str = "", params: dict[str, Any] | None = None
) -> None:
    record_events(objs=[obj], kind=kind, message=message, actor=actor, code=code, params=params)
