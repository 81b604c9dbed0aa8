"""What Szef does in Settings > Billing: pay through Stripe Checkout, manage the
subscription in the Billing Portal, read invoices."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import stripe
from django.db import transaction
from django.utils.translation import gettext as _

from billing_saas import stripe_api
from billing_saas.lifecycle import account_for
from billing_saas.models import Interval, Plan
from billing_saas.stripe_api import field, stripe_id
from billing_saas.subscriptions import customer_link, subscription_sync
from billing_saas.tax import VAT_PERCENT, eu_vat_id
from crm.common.errors import AppError
from crm.company.models import CompanySettings
from tenants.models import Company

logger = logging.getLogger(__name__)
BLOCKING_NEW_CHECKOUT = frozenset({"active", "trialing", "past_due"})


class BillingError(AppError):
    """A payment step that cannot go on; the message is for the Szef."""


def _not_configured() -> BillingError:
    return BillingError(_("Płatności online nie są jeszcze skonfigurowane. Skontaktuj się z obsługą ImCRM."))


def owner_email_unconfirmed_message() -> str:
    return _(
        "Zanim opłacisz subskrypcję, potwierdź adres e-mail właściciela firmy: kliknij link z wiadomości "
        "powitalnej albo wyślij go ponownie."
    )


def _stripe_failed(exc: Exception) -> BillingError:
    logger.warning("stripe call failed: %s", exc)
    return BillingError(_("Nie udało się połączyć z operatorem płatności. Spróbuj ponownie za chwilę."))


def checkout_start(
    *, company: Company, plan: Plan, interval: str, email: str, language: str, success_url: str, cancel_url: str
) -> str:
    """Create a Checkout session (subscription mode) and return its URL."""
    if not stripe_api.is_configured():
        raise _not_configured()
    if not plan.is_active or interval not in Interval.values:
        raise BillingError(_("Wybierz dostępny plan i okres rozliczeniowy."))
    if not Company.objects.filter(pk=company.pk, owner_email_confirmed_at__isnull=False).exists():
        raise BillingError(owner_email_unconfirmed_message())
    try:
        with transaction.atomic():
            account = account_for(company, lock=True)
            if account.stripe_subscription_id and account.stripe_subscription_status in BLOCKING_NEW_CHECKOUT:
                raise BillingError(
                    _("Firma ma już subskrypcję. Plan, kartę lub rezygnację zmienisz w panelu płatności.")
                )
            if not account.stripe_customer_id:
                account.stripe_customer_id = stripe_api.customer_create(
                    company_id=company.pk, name=company.name, email=email, subdomain=company.subdomain or ""
                )
                account.save(update_fields=["stripe_customer_id", "updated_at"])
        nip = eu_vat_id(CompanySettings.current().tax_id)
        if nip:
            _tax_id_send(account.stripe_customer_id, nip)
        price_id = plan.stripe_price_for(interval)
        # Prices are net: Stripe adds 23% VAT on top (an exclusive tax rate), as the price list says.
        line_item: dict[str, Any] = {"quantity": 1, "tax_rates": [stripe_api.vat_tax_rate_id(str(VAT_PERCENT))]}
        if price_id:
            line_item["price"] = price_id
        else:  # no price created in Stripe yet: describe it inline
            line_item["price_data"] = {
                "currency": "pln",
                "unit_amount": int(plan.price_for(interval) * 100),
                "recurring": {"interval": interval},
                "product_data": {"name": f"ImCRM {plan.name}"},
            }
        metadata = {"company_id": str(company.pk), "plan": plan.code, "interval": interval}
        session = stripe_api.checkout_session_create(
            {
                "mode": "subscription",
                "customer": account.stripe_customer_id,
                "client_reference_id": str(company.pk),
                "line_items": [line_item],
                "metadata": metadata,
                "subscription_data": {"metadata": metadata},
                "success_url": success_url,
                "cancel_url": cancel_url,
                "locale": "pl" if language.startswith("pl") else "en",
                "billing_address_collection": "required",
                "tax_id_collection": {"enabled": True},
            }
        )
    except stripe.StripeError as exc:
        raise _stripe_failed(exc) from exc
    return str(session.url)


def _tax_id_send(customer_id: str, value: str) -> None:
    try:
        stripe_api.customer_tax_id_ensure(customer_id, value)
    except stripe.InvalidRequestError as exc:
        logger.info("stripe refused tax id %s: %s", value, exc)
        raise BillingError(
            _("Stripe nie przyjął NIP-u %(nip)s. Popraw go w Ustawieniach > Firma i spróbuj ponownie.") % {"nip": value}
        ) from exc


def checkout_return(*, company: Company, session_id: str) -> bool:
    """Szef is back from Checkout: apply the paid subscription now (the webhook
    would do the same a moment later). True when the company now has it."""
    if not stripe_api.is_configured() or not session_id:
        return False
    try:
        session = stripe_api.checkout_session_retrieve(session_id)
        if str(field(session, "client_reference_id") or "") != str(company.pk):
            return False
        subscription = field(session, "subscription")
        subscription_id = subscription if isinstance(subscription, str) else field(subscription, "id")
        if field(session, "status") != "complete" or not subscription_id:
            return False
        with transaction.atomic():
            account = account_for(company, lock=True)
            customer_id = stripe_id(field(session, "customer"))
            if account.stripe_customer_id and customer_id != account.stripe_customer_id:
                return False
            if customer_id and not account.stripe_customer_id and not customer_link(account, customer_id):
                return False
            return subscription_sync(account, subscription_id)
    except stripe.StripeError as exc:
        logger.warning("checkout return %s: %s", session_id, exc)
        return False


def portal_start(*, company: Company, return_url: str, language: str) -> str:
    if not stripe_api.is_configured():
        raise _not_configured()
    account = account_for(company)
    if not account.stripe_customer_id:
        raise BillingError(_("Najpierw wybierz plan i opłać subskrypcję."))
    try:
        session = stripe_api.portal_session_create(
            customer_id=account.stripe_customer_id, return_url=return_url, locale="pl" if language == "pl" else "en"
        )
    except stripe.StripeError as exc:
        raise _stripe_failed(exc) from exc
    return str(session.url)


@dataclass(frozen=True)
class InvoiceRow:
    number: str
    created: datetime | None
    total: Decimal
    currency: str
    status: str
    url: str
    pdf: str


def invoices_for(company: Company) -> list[InvoiceRow]:
    if not stripe_api.is_configured():
        return []
    account = account_for(company)
    if not account.stripe_customer_id:
        return []
    try:
        invoices = stripe_api.invoice_list(customer_id=account.stripe_customer_id)
    except stripe.StripeError as exc:
        raise _stripe_failed(exc) from exc
    rows = []
    for inv in invoices:
        created = field(inv, "created")
        rows.append(
            InvoiceRow(
                number=str(field(inv, "number") or field(inv, "id") or ""),
                created=datetime.fromtimestamp(int(created), tz=UTC) if created else None,
                total=Decimal(int(field(inv, "total") or 0)) / 100,
                currency=str(field(inv, "currency") or "pln").upper(),
                status=str(field(inv, "status") or ""),
                url=str(field(inv, "hosted_invoice_url") or ""),
                pdf=str(field(inv, "invoice_pdf") or ""),
            )
        )
    return rows
