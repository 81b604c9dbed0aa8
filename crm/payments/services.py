"""The company's own card payments: its Stripe keys (Settings > Płatności online) and
Checkout Sessions for its invoices.

`invoice_pay_available(invoice)` says whether the customer can pay the invoice by card
now; `invoice_checkout_create(invoice, success_url=..., cancel_url=...)` makes a Stripe
Checkout Session for what is left to pay, with the company's own secret key, and
returns the address to send the customer to. The payment is recorded on the invoice by
the company's webhook (crm/payments/webhooks.py), never by the customer's return to
`success_url`.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import stripe
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import User
from crm.activity.models import ActivityKind
from crm.activity.services import activity_record
from crm.common.errors import AppError
from crm.company.crypto import secret_encrypt
from crm.invoicing.models import Invoice, InvoiceStatus
from crm.invoicing.payments import OPEN_STATUSES, PAYABLE_KINDS, converted_proforma_q, invoice_left_to_pay
from crm.payments.gateway import field, gateway_keys, stripe_client
from crm.payments.models import CardCheckout, CheckoutStatus, StripeGateway
from tenants.db import connection
from tenants.selectors import company_active

# Stripe's currencies without a minor unit: amounts are sent in whole units.
ZERO_DECIMAL_CURRENCIES = frozenset(
    "BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split()  # noqa: SIM905
)
KEY_PATTERNS = {
    "publishable_key": re.compile(r"pk_(test|live)_[A-Za-z0-9]{8,247}"),
    "secret_key": re.compile(r"(sk|rk)_(test|live)_[A-Za-z0-9]{8,247}"),
    "webhook_secret": re.compile(r"whsec_[A-Za-z0-9+/=]{8,250}"),
}


# Stripe lets a Checkout Session be paid for 24 hours; a younger open one is offered again.
SESSION_REUSE = timedelta(hours=23)


class CheckoutError(AppError):
    pass


def gateway_configured(gateway: StripeGateway | None = None) -> bool:
    """Switched on, with all three keys stored (and readable)."""
    gateway = gateway or StripeGateway.current()
    if not gateway.enabled or not gateway.publishable_key:
        return False
    keys = gateway_keys(gateway)
    return bool(keys.secret_key and keys.webhook_secret)


@transaction.atomic
def gateway_save(
    *,
    actor: User,
    enabled: bool,
    publishable_key: str,
    secret_key: str = "",
    webhook_secret: str = "",
) -> StripeGateway:
    """Save Settings > Płatności online (the form checked the values). An empty secret
    keeps the stored one; secrets are stored encrypted and never logged."""
    existing = StripeGateway.current()
    if existing.pk is None:
        existing.save()
    gateway = StripeGateway.objects.select_for_update().get(pk=existing.pk)
    changed = []
    if gateway.enabled != enabled:
        changed.append("enabled")
    if gateway.publishable_key != publishable_key:
        changed.append("publishable_key")
    gateway.enabled, gateway.publishable_key = enabled, publishable_key
    if secret_key:
        gateway.secret_key_encrypted = secret_encrypt(secret_key)
        changed.append("secret_key")
    if webhook_secret:
        gateway.webhook_secret_encrypted = secret_encrypt(webhook_secret)
        changed.append("webhook_secret")
    gateway.updated_by = actor
    gateway.save()
    if changed:
        activity_record(
            actor=actor,
            kind=ActivityKind.SETTINGS,
            object_type="payments.stripegateway",
            object_repr="Płatności online",
            code="settings.changed",
            params={"section": "Płatności online", "fields": changed},
        )
    return gateway


def gateway_test_connection(*, secret_key: str = "") -> str:
    """The name (or id) of the Stripe account the key opens; CheckoutError when Stripe
    refuses the key or cannot be reached."""
    secret_key = secret_key or gateway_keys().secret_key
    if not secret_key:
        raise CheckoutError(_("Najpierw zapisz klucz tajny (secret key)."))
    try:
        account = stripe_client(secret_key).v1.accounts.retrieve_current()
    except stripe.AuthenticationError:
        raise CheckoutError(_("Stripe nie przyjął klucza tajnego. Sprawdź, czy skopiowano go w całości.")) from None
    except stripe.StripeError:
        raise CheckoutError(_("Nie udało się połączyć ze Stripe. Spróbuj ponownie za chwilę.")) from None
    name = field(account, "settings", "dashboard", "display_name") or field(account, "business_profile", "name")
    return str(name or field(account, "id") or "")


def minor_units(amount: Decimal, currency: str) -> int:
    """The amount as Stripe counts it: grosze for PLN, cents for EUR, whole yen for JPY."""
    if currency.upper() in ZERO_DECIMAL_CURRENCIES:
        if amount != amount.to_integral_value():
            raise CheckoutError(_("Kwoty w walucie %(currency)s nie mają części ułamkowej.") % {"currency": currency})
        return int(amount)
    return int((amount * 100).to_integral_value())


def from_minor_units(value: int, currency: str) -> Decimal:
    if currency.upper() in ZERO_DECIMAL_CURRENCIES:
        return Decimal(value).quantize(Decimal("0.01"))
    return (Decimal(value) / 100).quantize(Decimal("0.01"))


def _refusal(invoice: Invoice) -> str | None:
    """Why the invoice cannot be paid by card now, or None."""
    if invoice.status == InvoiceStatus.DRAFT:
        return _("Faktura jest szkicem: zapłacić można dopiero wystawioną fakturę.")
    if invoice.status == InvoiceStatus.CANCELLED:
        return _("Faktura jest anulowana: nie przyjmuje płatności.")
    if invoice.status == InvoiceStatus.PAID:
        return _("Faktura jest już w całości opłacona.")
    if invoice.kind not in PAYABLE_KINDS or invoice.status not in OPEN_STATUSES:
        return _("Tej faktury nie można zapłacić kartą.")
    if Invoice.objects.filter(converted_proforma_q(), pk=invoice.pk).exists():
        return _("Do tej faktury pro forma wystawiono już fakturę VAT: zapłać fakturę VAT.")
    if invoice_left_to_pay(invoice) <= 0:
        return _("Faktura jest już w całości opłacona.")
    if not gateway_configured():
        return _("Płatności kartą nie są skonfigurowane: Szef ustawia je w Ustawieniach, w części Płatności online.")
    return None


def invoice_pay_available(invoice: Invoice) -> bool:
    """Can the customer pay this invoice by card now (the company's gateway is on, the
    invoice is issued and something is left to pay)?"""
    return _refusal(invoice) is None


def invoice_checkout_create(invoice: Invoice, *, success_url: str, cancel_url: str, actor: User | None = None) -> str:
    """A Stripe Checkout Session (the company's own account) for what is left to pay on
    the invoice, in its currency; returns the session's URL. CheckoutError (with a
    message for the user) when the invoice cannot be paid by card or Stripe refuses."""
    reason = _refusal(invoice)
    if reason:
        raise CheckoutError(reason)
    amount = invoice_left_to_pay(invoice)
    currency = invoice.currency.upper()
    unit_amount = minor_units(amount, currency)
    # The same open session again (the customer clicks "pay" twice, reloads): one session
    # per amount, so two browser tabs cannot both take the money.
    reusable = (
        CardCheckout.objects.filter(
            invoice=invoice,
            status=CheckoutStatus.OPEN,
            amount=amount,
            currency=currency,
            success_url=success_url,
            cancel_url=cancel_url,
            created_at__gte=timezone.now() - SESSION_REUSE,
            session_id__isnull=False,
        )
        .exclude(url="")
        .order_by("-created_at")
        .first()
    )
    if reusable is not None:
        return reusable.url
    checkout = CardCheckout.objects.create(
        invoice=invoice,
        amount=amount,
        currency=currency,
        created_by=actor,
        success_url=success_url,
        cancel_url=cancel_url,
    )
    company = company_active()
    metadata = {
        "imcrm_schema": connection.schema_name,
        "imcrm_company_id": str(company.pk if company is not None else ""),
        "imcrm_invoice_id": str(invoice.pk),
        "imcrm_checkout_id": str(checkout.pk),
    }
    title = _("Faktura %(number)s") % {"number": invoice.number}
    params = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": currency.lower(),
                    "unit_amount": unit_amount,
                    "product_data": {"name": title},
                },
            }
        ],
        "success_url": success_url,
        "cancel_url": cancel_url,
        "client_reference_id": f"{connection.schema_name}:{invoice.pk}",
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata, "description": title},
    }
    if invoice.customer.email:
        params["customer_email"] = invoice.customer.email
    try:
        session = stripe_client(gateway_keys().secret_key).v1.checkout.sessions.create(
            params=params,  # type: ignore[arg-type]
            options={"idempotency_key": f"imcrm-{connection.schema_name}-checkout-{checkout.pk}"},
        )
    except stripe.AuthenticationError:
        _failed(checkout)
        raise CheckoutError(_("Stripe nie przyjął klucza tajnego firmy. Szef sprawdza go w Ustawieniach.")) from None
    except stripe.StripeError as exc:
        _failed(checkout)
        detail = getattr(exc, "user_message", None) or ""
        raise CheckoutError(
            (_("Stripe odmówił utworzenia płatności: %(detail)s") % {"detail": detail})
            if detail
            else _("Nie udało się połączyć ze Stripe. Spróbuj ponownie za chwilę.")
        ) from None
    checkout.session_id = str(session.id)
    checkout.url = str(field(session, "url") or "")
    checkout.save(update_fields=["session_id", "url"])
    return checkout.url


def _failed(checkout: CardCheckout) -> None:
    checkout.status = CheckoutStatus.FAILED
    checkout.save(update_fields=["status"])
