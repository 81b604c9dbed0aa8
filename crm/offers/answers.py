"""The customer's side of an offer, on its public page (no login), and its expiry:

- the first opening of a sent offer is recorded once (status "viewed");
- the customer accepts (typing a full name; the time and address are recorded) or
  declines (with an optional comment), once: an answered offer cannot be answered again;
- an offer past its validity cannot be accepted; a daily job marks such offers expired.

Each of these goes to the customer's timeline and the activity log, and viewing and
answers notify the offer's owner by e-mail (after the answer is saved).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.errors import AppError
from crm.common.records import record_event
from crm.offers.emails import owner_notify
from crm.offers.models import Offer, OfferStatus
from crm.offers.selectors import AWAITING, offer_is_past_validity, offers_to_expire

NAME_MIN = 3
NAME_MAX = 200
COMMENT_MAX = 2000


class OfferAnswerError(AppError):
    """Why the customer's answer was not taken (a message for the customer)."""


def _refusal(offer: Offer) -> str | None:
    """Why `offer` takes no answer now (None when it does)."""
    if offer.status == OfferStatus.ACCEPTED:
        return _("Ta oferta została już zaakceptowana (%(when)s). Odpowiedzi nie można zmienić.") % {
            "when": formats.date_format(timezone.localtime(offer.answered_at), "SHORT_DATETIME_FORMAT")
            if offer.answered_at
            else "—"
        }
    if offer.status == OfferStatus.DECLINED:
        return _("Ta oferta została już odrzucona. Odpowiedzi nie można zmienić.")
    if offer.status == OfferStatus.EXPIRED:
        return _("Ta oferta wygasła %(date)s i nie można jej już zaakceptować. Skontaktuj się z nami po nową.") % {
            "date": formats.date_format(offer.valid_until, "SHORT_DATE_FORMAT") if offer.valid_until else "—"
        }
    if offer.status not in AWAITING:
        return _("Ta oferta nie czeka na odpowiedź.")
    return None


def _event(offer: Offer, *, code: str, kind: str, message: str, params: dict[str, str], label: str) -> None:
    activity_record(actor=None, kind=ActivityKind.OTHER, obj=offer, code=code, params=params, user_label=label[:254])
    record_event(obj=offer, actor=None, kind=kind, message=message, code=code, params=params)


def _expire(offer: Offer) -> None:
    """Mark `offer` (locked, awaiting, past validity) expired, with its events."""
    offer.status = OfferStatus.EXPIRED
    offer.save(update_fields=["status", "updated_at"])
    until = offer.valid_until.isoformat() if offer.valid_until else ""
    params = {"number": offer.number, "until": until}
    _event(
        offer,
        code="offer.expired",
        kind="offer_expired",
        message=_("Oferta %(number)s wygasła (ważna do %(until)s).") % params,
        params=params,
        label=_("system"),
    )


def offer_view_record(*, offer: Offer, ip: str | None) -> bool:
    """The customer opened the page: the first opening of a sent offer makes it "viewed"
    (timeline, log, the owner told). True when this was that first opening."""
    with transaction.atomic():
        offer = Offer.objects.select_for_update(of=("self",)).select_related("customer").get(pk=offer.pk)
        if offer.status != OfferStatus.SENT or offer.viewed_at is not None:
            return False
        offer.status = OfferStatus.VIEWED
        offer.viewed_at = timezone.now()
        offer.save(update_fields=["status", "viewed_at", "updated_at"])
        params = {"number": offer.number, "ip": ip or ""}
        _event(
            offer,
            code="offer.viewed",
            kind="offer_viewed",
            message=_("Klient otworzył ofertę %(number)s.") % params,
            params=params,
            label=offer.customer.name,
        )
    owner_notify(offer=offer, event="viewed")
    return True


def _answer_open(offer: Offer, today: date) -> tuple[Offer, str | None]:
    """The offer locked, and why it takes no answer (expiring it first when its validity
    has passed). Runs inside the caller's transaction."""
    offer = Offer.objects.select_for_update(of=("self",)).select_related("customer").get(pk=offer.pk)
    if offer.status in AWAITING and offer_is_past_validity(offer, today):
        _expire(offer)
    return offer, _refusal(offer)


def offer_accept(*, offer: Offer, name: str, ip: str | None, today: date | None = None) -> Offer:
    """The customer accepts, typing a full name; the time and address are recorded.
    OfferAnswerError (nothing changed, or the offer marked expired) when it cannot be."""
    name = " ".join((name or "").split())
    if len(name) < NAME_MIN or not any(ch.isalpha() for ch in name):
        raise OfferAnswerError(_("Wpisz swoje imię i nazwisko, aby zaakceptować ofertę."), field="name")
    if len(name) > NAME_MAX:
        raise OfferAnswerError(_("Imię i nazwisko może mieć najwyżej %(n)s znaków.") % {"n": NAME_MAX}, field="name")
    with transaction.atomic():
        offer, refusal = _answer_open(offer, today or timezone.localdate())
        if refusal is None:
            offer.status = OfferStatus.ACCEPTED
            offer.answered_at = timezone.now()
            offer.accepted_name = name
            offer.answer_ip = ip or None
            offer.decline_comment = ""
            offer.save(
                update_fields=["status", "answered_at", "accepted_name", "answer_ip", "decline_comment", "updated_at"]
            )
            params = {"number": offer.number, "name": name, "ip": ip or "—"}
            _event(
                offer,
                code="offer.accepted",
                kind="offer_accepted",
                message=_("Oferta %(number)s zaakceptowana przez: %(name)s (adres IP %(ip)s).") % params,
                params=params,
                label=name,
            )
    if refusal is not None:
        raise OfferAnswerError(refusal)
    owner_notify(offer=offer, event="accepted")
    return offer


def offer_decline(*, offer: Offer, comment: str, ip: str | None, today: date | None = None) -> Offer:
    """The customer declines, with an optional comment, once."""
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise OfferAnswerError(_("Komentarz może mieć najwyżej %(n)s znaków.") % {"n": COMMENT_MAX}, field="comment")
    with transaction.atomic():
        offer, refusal = _answer_open(offer, today or timezone.localdate())
        if refusal is None:
            offer.status = OfferStatus.DECLINED
            offer.answered_at = timezone.now()
            offer.answer_ip = ip or None
            offer.decline_comment = comment
            offer.save(update_fields=["status", "answered_at", "answer_ip", "decline_comment", "updated_at"])
            params = {"number": offer.number, "comment": comment or "—", "ip": ip or "—"}
            _event(
                offer,
                code="offer.declined",
                kind="offer_declined",
                message=_("Oferta %(number)s odrzucona. Komentarz klienta: %(comment)s") % params,
                params=params,
                label=offer.customer.name,
            )
    if refusal is not None:
        raise OfferAnswerError(refusal)
    owner_notify(offer=offer, event="declined")
    return offer


def offers_expire(*, today: date | None = None) -> int:
    """Mark every offer awaiting an answer past its validity expired; how many."""
    today = today or timezone.localdate()
    count = 0
    for pk in list(offers_to_expire(today).values_list("pk", flat=True)):
        with transaction.atomic():
            offer = Offer.objects.select_for_update(of=("self",)).filter(pk=pk).first()
            if offer is not None and offer.status in AWAITING and offer_is_past_validity(offer, today):
                _expire(offer)
                count += 1
    return count
