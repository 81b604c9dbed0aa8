"""The portal's pages of documents: home, invoices, offers, contracts, projects, knowledge base.

Each page goes through `portal_page` (crm/portal/auth.py) and every record through a
selector scoped to the contact's customer (crm/portal/selectors.py): anything else is 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crm.activity.services import client_ip
from crm.common.csp import allow_stripe_redirects
from crm.contacts.models import PortalPermission
from crm.contracts.forms import SignForm
from crm.contracts.models import Contract
from crm.contracts.selectors import SIGNABLE, contract_hash
from crm.contracts.services import ContractSignError, contract_sign
from crm.documents.totals import document_totals
from crm.invoicing.pdf import invoice_pdf_response
from crm.kb.selectors import articles_for_portal
from crm.offers.answers import OfferAnswerError, offer_accept, offer_decline, offer_view_record
from crm.offers.forms import AcceptForm, DeclineForm
from crm.offers.models import Offer, OfferStatus
from crm.offers.pdf import offer_pdf_response
from crm.offers.selectors import AWAITING, offer_is_past_validity
from crm.payments.services import CheckoutError, gateway_configured, invoice_checkout_create
from crm.portal import discussion, selectors
from crm.portal.auth import PortalRequest, portal_page
from crm.portal.files import file_response
from crm.portal.forms import MessageForm
from crm.projects.models import Project
from crm.projects.selectors import progress_percent


@portal_page()
@require_GET
def home(request: PortalRequest) -> HttpResponse:
    contact = request.portal_account.contact
    allowed = set(contact.portal_permissions)
    summary = {
        "invoices": selectors.portal_invoices(contact).count() if "invoices" in allowed else None,
        "offers": selectors.portal_offers(contact).filter(status__in=AWAITING).count() if "offers" in allowed else None,
        "contracts": selectors.portal_contracts(contact).count() if "contracts" in allowed else None,
        "projects": selectors.portal_projects(contact).count() if "projects" in allowed else None,
        "tickets": selectors.portal_tickets(contact).filter(closed_at__isnull=True).count()
        if "tickets" in allowed
        else None,
    }
    return render(request, "portal/home.html", {"summary": summary})


# --- invoices ---------------------------------------------------------------------------


@portal_page(PortalPermission.INVOICES)
@require_GET
def invoice_list(request: PortalRequest) -> HttpResponse:
    return _invoices_page(request)


def _invoices_page(request: PortalRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    invoices = list(selectors.portal_invoices(request.portal_account.contact)[:200])
    gateway_on = gateway_configured()
    rows = [(invoice, selectors.invoice_pay_url(invoice, gateway_on=gateway_on)) for invoice in invoices]
    context = {"rows": rows, "error": error, "result": request.GET.get("result", "")}
    # "Zapłać kartą" posts here and is redirected to Stripe Checkout: the CSP allows it.
    return allow_stripe_redirects(render(request, "portal/invoices.html", context, status=status))


@portal_page(PortalPermission.INVOICES)
@require_POST
def invoice_pay(request: PortalRequest, pk: int) -> HttpResponse:
    """ "Zapłać kartą": off to Stripe Checkout of the company's own account; back on the
    invoices page (the payment is recorded by the company's webhook, once)."""
    invoice = get_object_or_404(selectors.portal_invoices(request.portal_account.contact), pk=pk)
    back = reverse("portal:invoice_list")
    try:
        url = invoice_checkout_create(
            invoice,
            success_url=request.build_absolute_uri(f"{back}?result=paid"),
            cancel_url=request.build_absolute_uri(f"{back}?result=cancelled"),
        )
    except CheckoutError as exc:
        return _invoices_page(request, error=exc.message, status=400)
    return HttpResponseRedirect(url)


@portal_page(PortalPermission.INVOICES)
@require_GET
def invoice_pdf(request: PortalRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(selectors.portal_invoices(request.portal_account.contact), pk=pk)
    return invoice_pdf_response(invoice)


# --- offers -----------------------------------------------------------------------------


@portal_page(PortalPermission.OFFERS)
@require_GET
def offer_list(request: PortalRequest) -> HttpResponse:
    offers = selectors.portal_offers(request.portal_account.contact)[:200]
    return render(request, "portal/offers.html", {"offers": offers})


def _offer_page(
    request: PortalRequest, offer: Offer, *, accept: AcceptForm | None = None, decline: DeclineForm | None = None,
    error: str = "", status: int = 200,
) -> HttpResponse:  # fmt: skip
    today = timezone.localdate()
    lines = list(offer.lines.order_by("position", "id"))
    context = {
        "offer": offer,
        "lines": lines,
        "totals": document_totals(line.as_line_in() for line in lines),
        "awaiting": offer.status in AWAITING and not offer_is_past_validity(offer, today),
        "accept_form": accept or AcceptForm(),
        "decline_form": decline or DeclineForm(),
        "error": error,
    }
    return render(request, "portal/offer.html", context, status=status)


def _offer_for(request: PortalRequest, pk: int) -> Offer:
    return get_object_or_404(selectors.portal_offers(request.portal_account.contact), pk=pk)


@portal_page(PortalPermission.OFFERS)
@require_GET
def offer_detail(request: PortalRequest, pk: int) -> HttpResponse:
    offer = _offer_for(request, pk)
    if offer.status == OfferStatus.SENT:
        offer_view_record(offer=offer, ip=client_ip(request))
        offer.refresh_from_db()
    return _offer_page(request, offer)


@portal_page(PortalPermission.OFFERS)
@require_GET
def offer_pdf(request: PortalRequest, pk: int) -> HttpResponse:
    return offer_pdf_response(_offer_for(request, pk))


@portal_page(PortalPermission.OFFERS)
@require_POST
def offer_accept_view(request: PortalRequest, pk: int) -> HttpResponse:
    offer = _offer_for(request, pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return _offer_page(request, offer, accept=form, status=400)
    try:
        offer_accept(offer=offer, name=form.cleaned_data["name"], ip=client_ip(request))
    except OfferAnswerError as exc:
        if exc.field == "name":
            form.add_error("name", exc.message)
            return _offer_page(request, offer, accept=form, status=400)
        offer.refresh_from_db()
        return _offer_page(request, offer, error=exc.message, status=409)
    return HttpResponseRedirect(reverse("portal:offer_detail", args=[offer.pk]) + "#answer")


@portal_page(PortalPermission.OFFERS)
@require_POST
def offer_decline_view(request: PortalRequest, pk: int) -> HttpResponse:
    offer = _offer_for(request, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _offer_page(request, offer, decline=form, status=400)
    try:
        offer_decline(offer=offer, comment=form.cleaned_data["comment"], ip=client_ip(request))
    except OfferAnswerError as exc:
        if exc.field == "comment":
            form.add_error("comment", exc.message)
            return _offer_page(request, offer, decline=form, status=400)
        offer.refresh_from_db()
        return _offer_page(request, offer, error=exc.message, status=409)
    return HttpResponseRedirect(reverse("portal:offer_detail", args=[offer.pk]) + "#answer")


# --- contracts --------------------------------------------------------------------------


@portal_page(PortalPermission.CONTRACTS)
@require_GET
def contract_list(request: PortalRequest) -> HttpResponse:
    contracts = selectors.portal_contracts(request.portal_account.contact)[:200]
    return render(request, "portal/contracts.html", {"contracts": contracts})


def _contract_page(
    request: PortalRequest, contract: Contract, *, form: SignForm | None = None, error: str = "", status: int = 200
) -> HttpResponse:
    digest = contract_hash(contract)
    context = {
        "contract": contract,
        "signable": contract.status in SIGNABLE and contract.signed_at is None,
        "form": form or SignForm(initial={"document_hash": digest}),
        "error": error,
    }
    return render(request, "portal/contract.html", context, status=status)


@portal_page(PortalPermission.CONTRACTS)
@require_GET
def contract_detail(request: PortalRequest, pk: int) -> HttpResponse:
    contract = get_object_or_404(selectors.portal_contracts(request.portal_account.contact), pk=pk)
    return _contract_page(request, contract)


@portal_page(PortalPermission.CONTRACTS)
@require_POST
def contract_sign_view(request: PortalRequest, pk: int) -> HttpResponse:
    contract = get_object_or_404(selectors.portal_contracts(request.portal_account.contact), pk=pk)
    form = SignForm(request.POST)
    if not form.is_valid():
        return _contract_page(request, contract, form=form, status=400)
    try:
        contract_sign(
            contract=contract,
            name=form.cleaned_data["name"],
            ip=client_ip(request),
            shown_hash=form.cleaned_data.get("document_hash") or "",
        )
    except ContractSignError as exc:
        if exc.field == "name":
            form.add_error("name", exc.message)
            return _contract_page(request, contract, form=form, status=400)
        contract.refresh_from_db()
        return _contract_page(request, contract, error=exc.message, status=409)
    return HttpResponseRedirect(reverse("portal:contract_detail", args=[contract.pk]))


# --- projects ---------------------------------------------------------------------------


@portal_page(PortalPermission.PROJECTS)
@require_GET
def project_list(request: PortalRequest) -> HttpResponse:
    projects = list(selectors.portal_projects(request.portal_account.contact)[:200])
    for project in projects:
        project.percent = progress_percent(project.tasks_done, project.tasks_total)  # type: ignore[attr-defined]
    return render(request, "portal/projects.html", {"projects": projects})


@portal_page(PortalPermission.PROJECTS)
@require_GET
def project_detail(request: PortalRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(selectors.portal_projects(request.portal_account.contact), pk=pk)
    return _project_page(request, project, MessageForm())


def _project_page(request: PortalRequest, project: Project, form: MessageForm, *, status: int = 200) -> HttpResponse:
    contact = request.portal_account.contact
    messages_list = list(discussion.project_messages(project).select_related("author"))
    for item in messages_list:
        item.can_delete = discussion.message_contact_may_delete(contact, item)  # type: ignore[attr-defined]
    context = {
        "project": project,
        "percent": progress_percent(project.tasks_done, project.tasks_total),  # type: ignore[attr-defined]
        "milestones": project.milestones.order_by("position", "id"),
        "tasks": selectors.portal_project_tasks(project),
        "files": discussion.project_shared_files(project),
        "messages_list": messages_list,
        "form": form,
    }
    return render(request, "portal/project.html", context, status=status)


@portal_page(PortalPermission.PROJECTS)
@require_POST
def project_message(request: PortalRequest, pk: int) -> HttpResponse:
    contact = request.portal_account.contact
    project = get_object_or_404(selectors.portal_projects(contact), pk=pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            discussion.message_post(
                project=project, body=form.cleaned_data["body"], contact=contact, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Wiadomość wysłana."))
            return HttpResponseRedirect(reverse("portal:project_detail", args=[project.pk]) + "#discussion")
    return _project_page(request, project, form, status=400)


@portal_page(PortalPermission.PROJECTS)
@require_POST
def project_message_delete(request: PortalRequest, pk: int, message_pk: int) -> HttpResponse:
    """The contact deletes their own message within 15 minutes of writing it."""
    contact = request.portal_account.contact
    project = get_object_or_404(selectors.portal_projects(contact), pk=pk)
    item = get_object_or_404(discussion.project_messages(project), pk=message_pk)
    try:
        discussion.message_delete(message=item, contact=contact)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, str(exc.args[0]) if isinstance(exc, PermissionDenied) else exc.messages[0])
    else:
        messages.success(request, _("Wiadomość usunięta."))
    return HttpResponseRedirect(reverse("portal:project_detail", args=[project.pk]) + "#discussion")


@portal_page(PortalPermission.PROJECTS)
@require_GET
def project_file(request: PortalRequest, pk: int, file_pk: int) -> HttpResponse:
    project = get_object_or_404(selectors.portal_projects(request.portal_account.contact), pk=pk)
    item = get_object_or_404(discussion.project_shared_files(project), pk=file_pk)
    return file_response(item.file, item.name)


@portal_page(PortalPermission.PROJECTS)
@require_GET
def project_message_file(request: PortalRequest, pk: int, message_pk: int) -> HttpResponse:
    project = get_object_or_404(selectors.portal_projects(request.portal_account.contact), pk=pk)
    item = get_object_or_404(discussion.project_messages(project).exclude(file=""), pk=message_pk)
    return file_response(item.file, item.file_name)


# --- knowledge base ---------------------------------------------------------------------


@portal_page(PortalPermission.KB)
@require_GET
def kb_index(request: PortalRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:200]
    return render(request, "portal/kb.html", {"articles": articles_for_portal(query)[:200], "q": query})


@portal_page(PortalPermission.KB)
@require_GET
def kb_article(request: PortalRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(articles_for_portal(), pk=pk)
    return render(request, "portal/kb_article.html", {"article": article})
