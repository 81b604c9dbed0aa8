"""What the notes app adds to the cards of other records: the notes-and-files panel
on every record type that takes notes, the timeline and files tabs of the customer
card, and the history block of a deal. Registered in `NotesConfig.ready`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from crm.accounts.access import sees_everything
from crm.common.params import is_int_text
from crm.common.records import CardSection, card_section_register, record_types
from crm.common.types import AuthedRequest
from crm.notes.models import LINKED_KINDS, Attachment, TimelineEvent
from crm.notes.timeline import TIMELINE_PAGE, customer_timeline, visible_links

FILES_LIST_LIMIT = 100


def _timeline_tab(request: AuthedRequest, customer: Any) -> dict[str, Any]:
    raw = request.GET.get("more", "")
    limit = int(raw) if is_int_text(raw) else TIMELINE_PAGE
    timeline, more = customer_timeline(customer=customer, user=request.user, limit=limit)
    return {"timeline": timeline, "timeline_more": more, "timeline_next": limit + TIMELINE_PAGE}


def _files_tab(request: AuthedRequest, customer: Any) -> dict[str, Any]:
    user = request.user
    other = Attachment.objects.filter(customer=customer).exclude(**{f"{kind}__isnull": True for kind in LINKED_KINDS})
    other = visible_links(other, user, sees_everything(user))
    return {
        "other_files": list(
            other.select_related("uploaded_by", "deal", "task", "offer").order_by("-created_at")[:FILES_LIST_LIMIT]
        )
    }


def _panel(request: AuthedRequest, obj: Any) -> dict[str, Any]:
    return {"target": obj}


def _deal_history(request: AuthedRequest, deal: Any) -> dict[str, Any]:
    history = TimelineEvent.objects.filter(deal=deal).select_related("actor").order_by("-created_at", "-id")[:20]
    return {"history": list(history)}


def _offer_history(request: AuthedRequest, offer: Any) -> dict[str, Any]:
    history = TimelineEvent.objects.filter(offer=offer).select_related("actor").order_by("-created_at", "-id")[:20]
    return {"history": list(history)}


def _project_history(request: AuthedRequest, project: Any) -> dict[str, Any]:
    history = TimelineEvent.objects.filter(project=project).select_related("actor").order_by("-created_at", "-id")[:20]
    return {"history": list(history)}


def _contract_history(request: AuthedRequest, contract: Any) -> dict[str, Any]:
    history = (
        TimelineEvent.objects.filter(contract=contract).select_related("actor").order_by("-created_at", "-id")[:20]
    )
    return {"history": list(history)}


def cards_register() -> None:
    card_section_register(
        CardSection(
            host="customer",
            key="timeline",
            label=_("Oś czasu"),
            template="notes/customer_timeline_tab.html",
            context=_timeline_tab,
            place="tab",
            order=20,
        )
    )
    card_section_register(
        CardSection(
            host="customer",
            key="files",
            label=_("Pliki"),
            template="notes/customer_files_tab.html",
            context=_files_tab,
            place="tab",
            order=50,
        )
    )
    for record_type in record_types():
        if record_type.has_notes and record_type.key != "customer":
            card_section_register(
                CardSection(
                    host=record_type.key,
                    key="notes",
                    label=_("Notatki i pliki"),
                    template="notes/_panel.html",
                    context=_panel,
                    place="main",
                    order=50,
                )
            )
    card_section_register(
        CardSection(
            host="deal",
            key="history",
            label=_("Historia"),
            template="notes/deal_history.html",
            context=_deal_history,
            place="side",
            order=50,
        )
    )
    card_section_register(
        CardSection(
            host="offer",
            key="history",
            label=_("Historia"),
            template="notes/deal_history.html",
            context=_offer_history,
            place="side",
            order=50,
        )
    )
    card_section_register(
        CardSection(
            host="contract",
            key="history",
            label=_("Historia"),
            template="notes/deal_history.html",
            context=_contract_history,
            place="side",
            order=50,
        )
    )
    card_section_register(
        CardSection(
            host="project",
            key="history",
            label=_("Historia"),
            template="notes/deal_history.html",
            context=_project_history,
            place="side",
            order=50,
        )
    )
