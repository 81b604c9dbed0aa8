"""What a contact person may see in the portal: always their own customer's records only."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from crm.contacts.models import ContactPerson
from crm.contracts.models import Contract, ContractStatus
from crm.invoicing.models import Invoice, InvoiceStatus
from crm.offers.models import Offer, OfferStatus
from crm.payments.services import gateway_configured, invoice_pay_available
from crm.projects.models import Project
from crm.projects.selectors import with_progress
from crm.tasks.models import Task
from crm.tickets.models import Ticket


def portal_invoices(contact: ContactPerson) -> QuerySet[Invoice]:
    return (
        Invoice.objects.filter(customer_id=contact.customer_id)
        .exclude(status=InvoiceStatus.DRAFT)
        .order_by("-issue_date", "-id")
    )


def portal_offers(contact: ContactPerson) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(customer_id=contact.customer_id)
        .exclude(status=OfferStatus.DRAFT)
        .order_by("-issue_date", "-id")
    )


def portal_contracts(contact: ContactPerson) -> QuerySet[Contract]:
    return (
        Contract.objects.filter(customer_id=contact.customer_id)
        .exclude(status=ContractStatus.DRAFT)
        .order_by("-start_date", "-id")
    )


def portal_projects(contact: ContactPerson) -> QuerySet[Project]:
    return with_progress(Project.objects.filter(customer_id=contact.customer_id)).order_by("name", "id")


def portal_project_tasks(project: Project) -> QuerySet[Task]:
    return project.tasks.filter(visible_to_customer=True).order_by("done", "due_at", "id")


def portal_tickets(contact: ContactPerson) -> QuerySet[Ticket]:
    tickets = Ticket.objects.filter(customer_id=contact.customer_id)
    if contact.portal_own_tickets_only:
        tickets = tickets.filter(contact_id=contact.pk)
    return tickets.select_related("status", "priority", "department").order_by("-created_at", "-id")


def invoice_pay_url(invoice: Invoice, *, gateway_on: bool | None = None) -> str | None:
    """The portal's "Zapłać kartą" action of this invoice (through the company's own Stripe
    account, crm.payments), or None when it cannot be paid by card now. `gateway_on`: the
    caller already asked `gateway_configured()` (one question for a whole list)."""
    if gateway_on is None:
        gateway_on = gateway_configured()
    if not gateway_on or not invoice_pay_available(invoice):
        return None
    return reverse("portal:invoice_pay", args=[invoice.pk])
