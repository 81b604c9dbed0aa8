"""Writes of offers by staff (pages and the API call these, so the rules hold everywhere):

- a draft is created and changed with its lines; the totals are computed per VAT rate
  (crm.documents.totals) and stored on the offer;
- a Pracownik works on offers of customers he sees (a restricted one: his own) and
  changes the offers he owns or created; Szef and Kierownik every offer;
- sending gives a draft the next number of the company's offer pattern (gap-free,
  crm.documents.numbering) and e-mails the customer a link to the public page; only
  a draft is edited or deleted: what the customer received does not change after;
- an accepted offer can set its deal's value.

The customer's side (viewing, accepting, declining) and expiry are in `answers.py`.
"""

from __future__ import annotations

import re
import smtplib
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.access import record_owner_for, sees_everything
from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record, field_changes
from crm.common.params import date_check
from crm.common.records import record_event
from crm.company.mail import recipients_clean
from crm.company.models import CompanySettings
from crm.contacts.models import Customer
from crm.contacts.selectors import customers_visible_to
from crm.documents.lines import LineData, lines_replace
from crm.documents.numbering import document_number, pattern_problem
from crm.offers.emails import offer_email_send
from crm.offers.models import Offer, OfferLanguage, OfferLine, OfferStatus
from crm.offers.pdf import intro_clean
from crm.offers.selectors import AWAITING, offer_change_check
from crm.sales.models import Deal
from crm.sales.selectors import deals_visible_to
from crm.sales.services import deal_update
from crm.trash.services import trash_keep

CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
SERIES = "offer"
EDITABLE_FIELDS = (
    "title",
    "customer",
    "deal",
    "owner",
    "issue_date",
    "valid_until",
    "currency",
    "language",
    "introduction",
    "terms",
)
SHOWN_FIELDS = (*EDITABLE_FIELDS, "net_total", "gross_total")


def offer_label(offer: Offer) -> str:
    """How logs and e-mails name the offer: its number, else its title, else "szkic"."""
    return offer.number or offer.title or _("szkic oferty")


def _shown(offer: Offer) -> dict[str, str]:
    shown = {}
    for name in SHOWN_FIELDS:
        value = getattr(offer, name)
        shown[name] = "" if value is None else value.isoformat() if isinstance(value, date) else str(value)
    return shown


def _rules_check(offer: Offer, actor: User | None) -> None:
    """A ValidationError per field, in the user's language, when the offer breaks a rule."""
    errors: dict[str, str] = {}
    if not CURRENCY_RE.match(offer.currency or ""):
        errors["currency"] = _("Podaj kod waluty z trzech wielkich liter, np. PLN lub EUR.")
    if offer.language not in OfferLanguage.values:
        errors["language"] = _("Wybierz język oferty z listy.")
    if len(offer.title or "") > 200:
        errors["title"] = _("Tytuł może mieć najwyżej 200 znaków.")
    for name in ("issue_date", "valid_until"):
        try:
            date_check(getattr(offer, name))
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    if "valid_until" not in errors and offer.valid_until and offer.issue_date and offer.valid_until < offer.issue_date:
        errors["valid_until"] = _("Termin ważności nie może być wcześniejszy niż data wystawienia.")
    everything = actor is None or sees_everything(actor)
    if not everything and actor is not None:
        if not customers_visible_to(actor, everything=False).filter(pk=offer.customer_id).exists():
            errors["customer"] = _("Wybierz klienta z listy.")
        if offer.deal_id and not deals_visible_to(actor, everything=False).filter(pk=offer.deal_id).exists():
            errors["deal"] = _("Wybierz szansę sprzedaży z listy.")
    if (
        "deal" not in errors
        and offer.deal_id
        and offer.deal is not None
        and offer.deal.customer_id != offer.customer_id
    ):
        errors["deal"] = _("Wybrana szansa sprzedaży należy do innego klienta.")
    if errors:
        raise ValidationError(errors)


def _draft_check(offer: Offer) -> None:
    if offer.status != OfferStatus.DRAFT:
        raise ValidationError(
            _("Oferta %(number)s została już wysłana: jej treści nie można zmienić ani jej usunąć.")
            % {"number": offer_label(offer)}
        )


def _lines_store(offer: Offer, lines: Sequence[LineData]) -> None:
    totals = lines_replace(document=offer, line_model=OfferLine, lines=lines)
    offer.net_total, offer.vat_total, offer.gross_total = totals.net, totals.vat, totals.gross
    offer.save(update_fields=["net_total", "vat_total", "gross_total", "updated_at"])


@transaction.atomic
def offer_create(
    *,
    actor: User | None,
    customer: Customer,
    lines: Sequence[LineData] = (),
    deal: Deal | None = None,
    owner: User | None = None,
    title: str = "",
    issue_date: date | None = None,
    valid_until: date | None = None,
    currency: str = "",
    language: str = OfferLanguage.PL,
    introduction: str = "",
    terms: str = "",
) -> Offer:
    """A draft offer with its lines, owned by `actor` unless told otherwise (a restricted
    Pracownik owns what he creates, for a customer he sees). The currency follows the
    deal's unless given."""
    owner = record_owner_for(actor=actor, owner=owner if owner is not None else actor)
    offer = Offer(
        customer=customer,
        deal=deal,
        owner=owner,
        title=(title or "").strip(),
        issue_date=issue_date or timezone.localdate(),
        valid_until=valid_until,
        currency=(currency or (deal.currency if deal is not None else "") or "PLN").upper(),
        language=language or OfferLanguage.PL,
        introduction=intro_clean(introduction),
        terms=(terms or "").strip(),
        created_by=actor if actor is not None and actor.pk else None,
    )
    _rules_check(offer, actor)
    offer.save()
    _lines_store(offer, lines)
    activity_record(
        actor=actor,
        kind=ActivityKind.CREATE,
        obj=offer,
        code="offer.created",
        params={"name": offer_label(offer), "customer": customer.name},
    )
    return offer


@transaction.atomic
def offer_update(*, offer: Offer, actor: User | None, lines: Sequence[LineData] | None = None, **changes: Any) -> Offer:
    """Change a draft: any of EDITABLE_FIELDS, and all its lines at once when `lines` is given."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"offer_update got unknown fields: {sorted(unknown)}")
    offer = Offer.objects.select_for_update(of=("self",)).select_related("deal").get(pk=offer.pk)
    if actor is not None:
        offer_change_check(actor, offer)
    _draft_check(offer)
    if "owner" in changes:
        changes["owner"] = record_owner_for(actor=actor, owner=changes["owner"])
    before = _shown(offer)
    for name, value in changes.items():
        setattr(offer, name, value)
    offer.title = (offer.title or "").strip()
    offer.currency = (offer.currency or "").upper()
    offer.introduction = intro_clean(offer.introduction)
    offer.terms = (offer.terms or "").strip()
    _rules_check(offer, actor)
    offer.save()
    if lines is not None:
        _lines_store(offer, lines)
    changed = field_changes(before, _shown(offer))
    if changed:
        activity_record(
            actor=actor,
            kind=ActivityKind.UPDATE,
            obj=offer,
            code="offer.updated",
            params={"name": offer_label(offer), "changes": changed},
        )
    return offer


@transaction.atomic
def offer_delete(*, offer: Offer, actor: User) -> None:
    """Delete a draft (a sent offer stays: the customer has its link); it goes to the trash."""
    offer = Offer.objects.select_for_update(of=("self",)).get(pk=offer.pk)
    offer_change_check(actor, offer)
    _draft_check(offer)
    activity_record(
        actor=actor, kind=ActivityKind.DELETE, obj=offer, code="offer.deleted", params={"name": offer_label(offer)}
    )
    trash_keep(obj=offer, actor=actor)  # Szef can bring it back from Settings > Kosz for 30 days
    offer.delete()


def _number_give(offer: Offer) -> None:
    company = CompanySettings.current()
    pattern = company.offer_number_pattern or "OF/{YYYY}/{NR}"
    if pattern_problem(pattern):
        raise ValidationError(
            _("Wzór numeru oferty w Ustawieniach jest błędny (potrzebny jest dokładnie jeden {NR}): %(pattern)s")
            % {"pattern": pattern}
        )
    offer.number = document_number(series=SERIES, pattern=pattern, reset=company.number_reset, on=offer.issue_date)


def offer_send(*, offer: Offer, actor: User, to: str | Sequence[str], message: str = "") -> Offer:
    """E-mail the offer to `to` (through the company's SMTP) with the link to its public
    page. A draft gets its number and becomes "sent"; an offer awaiting an answer may be
    sent again. If the e-mail cannot be sent, nothing changes (the number is not used)."""
    recipients = recipients_clean(to)
    with transaction.atomic():
        offer = (
            Offer.objects.select_for_update(of=("self",)).select_related("customer", "owner", "deal").get(pk=offer.pk)
        )
        offer_change_check(actor, offer)
        if offer.status not in (OfferStatus.DRAFT, *AWAITING):
            raise ValidationError(
                _("Oferty o statusie „%(status)s” nie można już wysłać.") % {"status": offer.get_status_display()}
            )
        if not offer.lines.exists():
            raise ValidationError({"lines": _("Dodaj do oferty co najmniej jedną pozycję.")})
        if offer.valid_until is not None and offer.valid_until < timezone.localdate():
            raise ValidationError({"valid_until": _("Termin ważności oferty już minął: zmień go przed wysłaniem.")})
        first = offer.status == OfferStatus.DRAFT
        if first:
            _number_give(offer)
            offer.status = OfferStatus.SENT
        offer.sent_at = timezone.now()
        offer.save(update_fields=["number", "status", "sent_at", "updated_at"])
        try:
            offer_email_send(offer=offer, to=recipients, message=message, sender=actor)
        except (smtplib.SMTPException, OSError) as exc:
            raise ValidationError(
                _("Nie udało się wysłać e-maila (%(error)s). Oferta nie została wysłana.") % {"error": str(exc)[:200]}
            ) from exc
        params = {"number": offer.number, "to": ", ".join(recipients)}
        activity_record(actor=actor, kind=ActivityKind.OTHER, obj=offer, code="offer.sent", params=params)
        record_event(
            obj=offer,
            actor=actor,
            kind="offer_sent",
            message=_("Wysłano ofertę %(number)s do %(to)s.") % params,
            code="offer.sent",
            params=params,
        )
    return offer


@transaction.atomic
def offer_deal_value_set(*, offer: Offer, actor: User) -> Deal:
    """The accepted offer's net total (and currency) becomes its deal's value."""
    offer = Offer.objects.select_for_update(of=("self",)).select_related("deal").get(pk=offer.pk)
    if offer.status != OfferStatus.ACCEPTED:
        raise ValidationError(_("Wartość szansy można ustawić tylko z zaakceptowanej oferty."))
    if offer.deal is None:
        raise ValidationError({"deal": _("Ta oferta nie jest powiązana z szansą sprzedaży.")})
    return deal_update(deal=offer.deal, actor=actor, value=offer.net_total, currency=offer.currency)
