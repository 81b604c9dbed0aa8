"""E-mailing an issued invoice to the customer from its card: /invoices/<pk>/email/.

Seen through `invoices_visible_to` (another company's invoice: 404); the rank is that of
issuing (`may_send_email`, 403). The form is prefilled with the customer's address and
offers the contact persons' addresses to tick; refusals stay on the form, next to the
addresses or above it (a draft, no SMTP settings, the mail server's answer)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crm.common.errors import form_apply_error
from crm.common.types import AuthedRequest
from crm.invoicing.access import invoices_visible_to, send_email_check
from crm.invoicing.emails import InvoiceEmailError, invoice_emailable_check
from crm.invoicing.forms import InvoiceEmailForm
from crm.invoicing.models import Invoice
from crm.invoicing.services.emailing import invoice_email as invoice_email_service


def contact_addresses(invoice: Invoice) -> list[tuple[str, str]]:
    """(address, "Name <address>") of the customer's contact persons with an e-mail."""
    people = invoice.customer.contacts.exclude(email="").order_by("name", "id")
    choices: list[tuple[str, str]] = []
    for person in people:
        if person.email.lower() not in {value.lower() for value, _label in choices}:
            choices.append((person.email, f"{person.name} <{person.email}>" if person.name else person.email))
    return choices


@login_required
@require_http_methods(["GET", "POST"])
def invoice_email(request: AuthedRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(invoices_visible_to(request.user).select_related("customer"), pk=pk)
    send_email_check(request.user)
    form = InvoiceEmailForm(
        request.POST or None, initial={"to": invoice.customer.email}, contacts=contact_addresses(invoice)
    )
    if request.method == "GET":
        try:
            invoice_emailable_check(invoice)
        except InvoiceEmailError as exc:
            messages.error(request, exc.message)
            return redirect("invoicing:invoice_detail", pk=invoice.pk)
    if request.method == "POST" and form.is_valid():
        try:
            sent = invoice_email_service(
                invoice=invoice, actor=request.user, to=form.recipients(), message=form.cleaned_data["message"]
            )
        except InvoiceEmailError as exc:
            form_apply_error(form, exc)
        except ValidationError as exc:
            form.add_error("to", exc.messages)
        else:
            messages.success(
                request, _("Wysłano fakturę %(number)s do %(to)s.") % {"number": sent.number, "to": sent.emailed_to}
            )
            return redirect("invoicing:invoice_detail", pk=invoice.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "invoicing/invoice_email.html", {"invoice": invoice, "form": form}, status=status)
