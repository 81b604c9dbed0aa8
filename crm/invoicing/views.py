"""Pages of invoices: the list, the form with its lines, the card and its actions.

Every view reads invoices through `invoices_visible_to(user)`, so another company's
invoice (or, for a restricted Pracownik, one of a customer he does not see) is simply not
found: 404. Actions a rank may not take answer 403 and their buttons are not shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.common.errors import AppError
from crm.common.params import id_param
from crm.common.records import card_sections_render
from crm.common.types import AuthedRequest
from crm.contacts.selectors import customers_visible_to
from crm.invoicing import services
from crm.invoicing.access import (
    correct_check,
    invoice_change_check,
    invoice_may_change,
    invoices_visible_to,
    may_correct,
    may_issue,
    may_send_email,
    may_send_ksef,
)
from crm.invoicing.emails import EMAILABLE
from crm.invoicing.fa3 import invoice_xml
from crm.invoicing.forms import (
    CorrectionForm,
    InvoiceFilterForm,
    InvoiceForm,
    line_formset_class,
    line_initial,
    products_for_lines,
)
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceStatus, KsefStatus
from crm.invoicing.pdf import invoice_pdf_response
from crm.invoicing.responses import xml_response
from crm.invoicing.selectors import InvoiceFilters, invoice_list, invoice_with_lines
from crm.invoicing.services import InvoiceStateError, invoice_totals
from crm.invoicing.services.common import invoice_lines
from crm.invoicing.services.ksef import SENDABLE
from crm.invoicing.services.snapshots import address_lines, buyer_snapshot, seller_snapshot
from crm.offers.models import Offer

LIST_PAGE = 50


def _invoice_for(request: AuthedRequest, pk: int, *, change: bool = False) -> Invoice:
    """The invoice `pk` if the user may see it (else 404); with `change`, 403 unless he may
    also change the draft."""
    invoice = get_object_or_404(invoice_with_lines(invoices_visible_to(request.user)), pk=pk)
    if change:
        invoice_change_check(request.user, invoice)
    return invoice


def _refused(request: AuthedRequest, invoice: Invoice, exc: InvoiceStateError | ValidationError) -> HttpResponse:
    text = exc.message if isinstance(exc, InvoiceStateError) else " ".join(exc.messages)
    messages.error(request, text)
    return redirect("invoicing:invoice_detail", pk=invoice.pk)


@login_required
@require_GET
def invoice_list_view(request: AuthedRequest) -> HttpResponse:
    filters = InvoiceFilterForm(request.GET or None, user=request.user)
    chosen = InvoiceFilters()
    refused = filters.is_bound and not filters.is_valid()
    if filters.is_bound and not refused:
        data = filters.cleaned_data
        customer = data.get("customer")
        chosen = InvoiceFilters(
            status=data.get("status") or "",
            kind=data.get("kind") or "",
            customer=customer.pk if customer is not None else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=data.get("search") or "",
        )
    for field, errors in (filters.errors if refused else {}).items():
        label = filters.fields[field].label if field in filters.fields else ""
        text = " ".join(str(error) for error in errors)
        messages.error(request, f"{label}: {text}" if label else text)
    page = Paginator(invoice_list(user=request.user, filters=chosen), LIST_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "invoicing/invoice_list.html", {"page": page, "filters": filters}, status=400 if refused else 200
    )


def _lines_error(exc: ValidationError) -> list[str]:
    errors = getattr(exc, "error_dict", {})
    return [message for error in errors.get("lines", []) for message in error.messages]


def _apply(form: InvoiceForm, exc: ValidationError) -> None:
    """A service's refusal next to the field it names (lines go above the lines)."""
    errors = getattr(exc, "error_dict", None)
    if errors is None:
        form.add_error(None, exc)
        return
    for field, field_errors in errors.items():
        if field == "lines":
            continue
        form.add_error(field if field in form.fields else None, field_errors)


def _form_page(
    request: AuthedRequest,
    form: InvoiceForm,
    formset: Any,
    *,
    invoice: Invoice | None,
    lines_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    before = (
        invoice_lines(invoice, before=True) if invoice is not None and invoice.kind == InvoiceKind.CORRECTION else []
    )
    return render(
        request,
        "invoicing/invoice_form.html",
        {
            "form": form,
            "formset": formset,
            "invoice": invoice,
            "lines_before": before,
            "lines_errors": lines_errors or [],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def invoice_create(request: AuthedRequest) -> HttpResponse:
    initial: dict[str, Any] = {"currency": "PLN", "kind": InvoiceKind.VAT}
    if request.GET.get("kind") == InvoiceKind.PROFORMA:
        initial["kind"] = InvoiceKind.PROFORMA
    if "customer" in request.GET:
        try:
            customer_id = id_param(request.GET["customer"])
        except ValidationError:
            raise Http404 from None
        customer = customers_visible_to(request.user).filter(pk=customer_id).first() if customer_id else None
        if customer is None:
            raise Http404
        initial["customer"] = customer
    products = products_for_lines()
    form = InvoiceForm(request.POST or None, initial=initial, user=request.user)
    formset = line_formset_class(request.POST)(request.POST or None, prefix="lines", products=products)
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            data = form.changes()
            try:
                invoice = services.invoice_create(actor=request.user, lines=formset.lines(), **data)
            except ValidationError as exc:
                _apply(form, exc)
                return _form_page(request, form, formset, invoice=None, lines_errors=_lines_error(exc), status=400)
            messages.success(request, _("Zapisano szkic faktury."))
            return redirect("invoicing:invoice_detail", pk=invoice.pk)
        return _form_page(request, form, formset, invoice=None, status=400)
    return _form_page(request, form, formset, invoice=None)


@login_required
@require_http_methods(["GET", "POST"])
def invoice_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    invoice = _invoice_for(request, pk, change=True)
    if invoice.status != InvoiceStatus.DRAFT:
        messages.error(request, _("Wystawionej faktury nie można zmieniać. Wystaw fakturę korygującą."))
        return redirect("invoicing:invoice_detail", pk=invoice.pk)
    products = products_for_lines()
    form = InvoiceForm(request.POST or None, instance=invoice, user=request.user)
    formset = line_formset_class(request.POST)(
        request.POST or None, prefix="lines", products=products, initial=line_initial(invoice_lines(invoice))
    )
    if request.method == "POST":
        fresh = _invoice_for(request, pk, change=True)  # the form wrote its data onto its instance
        if form.is_valid() and formset.is_valid():
            try:
                services.invoice_update(invoice=fresh, actor=request.user, lines=formset.lines(), **form.changes())
            except InvoiceStateError as exc:
                return _refused(request, fresh, exc)
            except ValidationError as exc:
                _apply(form, exc)
                return _form_page(request, form, formset, invoice=fresh, lines_errors=_lines_error(exc), status=400)
            messages.success(request, _("Zapisano zmiany."))
            return redirect("invoicing:invoice_detail", pk=fresh.pk)
        return _form_page(request, form, formset, invoice=fresh, status=400)
    return _form_page(request, form, formset, invoice=invoice)


def _detail_context(request: AuthedRequest, invoice: Invoice) -> dict[str, Any]:
    draft = invoice.status == InvoiceStatus.DRAFT
    correction = invoice.kind == InvoiceKind.CORRECTION
    issued = not draft and invoice.status != InvoiceStatus.CANCELLED
    return {
        "invoice": invoice,
        "lines": invoice_lines(invoice),
        "lines_before": invoice_lines(invoice, before=True) if correction else [],
        "totals": invoice_totals(invoice),
        "corrections": list(invoice.corrections.order_by("issue_date", "id")),
        "converted_to": invoice.converted_to.order_by("id").first(),
        "can_change": draft and invoice_may_change(request.user, invoice),
        "can_issue": draft and may_issue(request.user),
        "can_correct": issued and invoice.kind == InvoiceKind.VAT and may_correct(request.user),
        "can_convert": issued and invoice.kind == InvoiceKind.PROFORMA,
        "can_send_ksef": issued
        and invoice.kind != InvoiceKind.PROFORMA
        and invoice.ksef_status in SENDABLE
        and may_send_ksef(request.user),
        "can_email": invoice.status in EMAILABLE and may_send_email(request.user),
        "ksef_pending": invoice.ksef_status in (KsefStatus.QUEUED, KsefStatus.SENDING),
        "seller": (seller := invoice.seller or seller_snapshot()),
        "seller_address": address_lines(seller),
        "buyer": (buyer := invoice.buyer or buyer_snapshot(invoice.customer)),
        "buyer_address": address_lines(buyer),
        "reverse_charge": any(line.vat_rate == "oo" for line in invoice_lines(invoice)),
        "overdue": issued and invoice.due_date < timezone.localdate() and invoice.outstanding > 0,
        # Blocks other apps put on the card (payments...): crm.common.records.
        "sections": card_sections_render(request, "invoice", invoice, places=("main", "side")),
    }


@login_required
@require_GET
def invoice_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    invoice = _invoice_for(request, pk)
    return render(request, "invoicing/invoice_detail.html", _detail_context(request, invoice))


@login_required
@require_http_methods(["GET", "POST"])
def invoice_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    invoice = _invoice_for(request, pk, change=True)
    if request.method == "POST":
        try:
            services.invoice_delete(invoice=invoice, actor=request.user)
        except InvoiceStateError as exc:
            return _refused(request, invoice, exc)
        messages.success(request, _("Usunięto szkic faktury."))
        return redirect("invoicing:invoice_list")
    if invoice.status != InvoiceStatus.DRAFT:
        messages.error(request, _("Wystawionej faktury nie usuwa się. Wystaw fakturę korygującą."))
        return redirect("invoicing:invoice_detail", pk=invoice.pk)
    return render(request, "invoicing/invoice_confirm_delete.html", {"invoice": invoice})


@login_required
@require_POST
def invoice_issue(request: AuthedRequest, pk: int) -> HttpResponse:
    invoice = _invoice_for(request, pk)
    try:
        issued = services.invoice_issue(invoice=invoice, actor=request.user)
    except (InvoiceStateError, ValidationError) as exc:
        return _refused(request, invoice, exc)
    messages.success(request, _("Wystawiono fakturę %(number)s.") % {"number": issued.number})
    return redirect("invoicing:invoice_detail", pk=issued.pk)


@login_required
@require_http_methods(["GET", "POST"])
def invoice_correct(request: AuthedRequest, pk: int) -> HttpResponse:
    """The reason of a correction; the lines after it are then edited in the draft."""
    invoice = _invoice_for(request, pk)
    correct_check(request.user)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.invoice_correction_create(
                original=invoice, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except InvoiceStateError as exc:
            return _refused(request, invoice, exc)
        except ValidationError as exc:
            form.add_error("reason", exc.messages)
        else:
            messages.success(request, _("Przygotowano szkic korekty. Zmień pozycje „po korekcie” i wystaw ją."))
            return redirect("invoicing:invoice_edit", pk=correction.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "invoicing/invoice_correct.html", {"invoice": invoice, "form": form}, status=status)


@login_required
@require_POST
def invoice_convert(request: AuthedRequest, pk: int) -> HttpResponse:
    proforma = _invoice_for(request, pk)
    try:
        invoice = services.invoice_proforma_convert(proforma=proforma, actor=request.user)
    except (InvoiceStateError, ValidationError) as exc:
        return _refused(request, proforma, exc)
    messages.success(request, _("Przygotowano fakturę VAT z faktury pro forma. Sprawdź ją i wystaw."))
    return redirect("invoicing:invoice_detail", pk=invoice.pk)


@login_required
@require_POST
def invoice_send_ksef(request: AuthedRequest, pk: int) -> HttpResponse:
    invoice = _invoice_for(request, pk)
    try:
        services.invoice_ksef_queue(invoice=invoice, actor=request.user)
    except InvoiceStateError as exc:
        return _refused(request, invoice, exc)
    messages.success(request, _("Faktura czeka na wysłanie do KSeF. Numer KSeF pojawi się tu po przyjęciu."))
    return redirect("invoicing:invoice_detail", pk=invoice.pk)


@login_required
@require_GET
def invoice_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    """The invoice as a PDF (a draft too, marked as one): `?lang=pl|en`, else the
    invoice's language."""
    return invoice_pdf_response(_invoice_for(request, pk), language=request.GET.get("lang"))


@login_required
@require_GET
def invoice_upo(request: AuthedRequest, pk: int) -> HttpResponse:
    """The UPO (official receipt of KSeF) of an accepted invoice, as KSeF gave it."""
    invoice = _invoice_for(request, pk)
    if not invoice.ksef_upo:
        raise Http404
    return xml_response(invoice.ksef_upo, invoice, suffix="-UPO.xml")


@login_required
@require_POST
def invoice_from_offer(request: AuthedRequest, offer_pk: int) -> HttpResponse:
    """One click on an accepted offer's card: its VAT draft (the one made before, if any)."""
    offers = Offer.objects.filter(customer__in=customers_visible_to(request.user))
    offer = get_object_or_404(offers, pk=offer_pk)
    try:
        invoice = services.invoice_from_offer(offer=offer, actor=request.user)
    except (InvoiceStateError, ValidationError) as exc:
        text = exc.message if isinstance(exc, InvoiceStateError) else " ".join(exc.messages)
        messages.error(request, text)
        return redirect("invoicing:invoice_list")
    messages.success(request, _("Przygotowano fakturę z oferty. Sprawdź ją i wystaw."))
    return redirect("invoicing:invoice_detail", pk=invoice.pk)


@login_required
@require_GET
def invoice_ksef_xml(request: AuthedRequest, pk: int) -> HttpResponse:
    """The FA(3) XML of an issued VAT invoice or correction (what goes to KSeF)."""
    invoice = _invoice_for(request, pk)
    try:
        xml = invoice_xml(invoice)
    except AppError as exc:
        messages.error(request, exc.message)
        return redirect("invoicing:invoice_detail", pk=invoice.pk)
    return xml_response(xml, invoice)
