"""Portal fixtures: contact persons of company A (and B) with portal access, and a way to
sign a test client into the portal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.storage import storages
from django_tenants.utils import schema_context

from crm.contacts.models import ContactPerson, PortalPermission
from crm.portal.services import portal_access_grant
from tests.crm.contacts.factories import ContactPersonFactory, CustomerFactory
from tests.crm.payments.conftest import fake_stripe  # noqa: F401  (the fixture, for portal payments)

PASSWORD = "Portal-hasło-2026"
ALL = list(PortalPermission.values)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    storages["default"].__dict__.pop("relative_media_root", None)
    yield
    storages["default"].__dict__.pop("relative_media_root", None)


def contact_with_portal(
    company: Any, *, email: str, permissions: list[str] | None = None, customer: Any = None
) -> ContactPerson:
    with schema_context(company.schema_name):
        customer = customer or CustomerFactory(name=f"Klient {email}")
        contact = ContactPersonFactory(customer=customer, name=f"Osoba {email}", email=email)
        portal_access_grant(email=email, password=PASSWORD, permissions=ALL if permissions is None else permissions)
        contact.refresh_from_db()
        return contact


@pytest.fixture
def portal_contact(company_a: Any) -> ContactPerson:
    """anna@klient.test of company A, with every portal permission."""
    return contact_with_portal(company_a, email="anna@klient.test")


def sign_in(client: Any, email: str, password: str = PASSWORD) -> Any:
    response = client.post("/portal/login/", {"email": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


@pytest.fixture
def portal_client(client_a: Any, portal_contact: ContactPerson) -> Any:
    return sign_in(client_a, portal_contact.email)


@pytest.fixture
def in_schema(company_a: Any) -> Callable[[], Any]:
    return lambda: schema_context(company_a.schema_name)


def records_for(company: Any, contact: ContactPerson, staff: Any) -> dict[str, int]:
    """One of each record the portal shows, for `contact`'s customer: ids by kind."""
    from django.core.files.base import ContentFile

    from crm.contracts.services import contract_send
    from crm.offers.services import offer_send
    from crm.portal.models import ProjectMessage
    from crm.tickets.models import TicketAttachment
    from tests.crm.contracts.factories import contract_make
    from tests.crm.invoicing.factories import issued_make
    from tests.crm.kb.factories import article_make
    from tests.crm.offers.factories import offer_make
    from tests.crm.projects.factories import milestone_make, project_make, task_in
    from tests.crm.tickets.factories import ticket_make

    with schema_context(company.schema_name):
        customer = contact.customer
        invoice = issued_make(customer=customer)
        offer = offer_send(offer=offer_make(customer=customer, actor=staff), actor=staff, to=contact.email)
        contract = contract_send(contract=contract_make(customer=customer, actor=staff), actor=staff, to=contact.email)
        project = project_make(customer=customer)
        milestone_make(project)
        task_in(project, title="Widoczne zadanie", visible_to_customer=True)
        task_in(project, title="Wewnętrzne zadanie")
        ticket = ticket_make(contact=contact, subject="Portalowe zgłoszenie")
        reply = ticket.replies.get()
        attachment = TicketAttachment(reply=reply, name="a.txt", content_type="text/plain", size=3)
        attachment.file.save("a.txt", ContentFile(b"abc"))
        article = article_make(title="Artykuł portalu", portal=True)
        shared = project_file_make(project, name="harmonogram.pdf", shared=True)
        message = ProjectMessage(project=project, contact=contact, author_name=contact.name, body="Pytanie klienta")
        message.file_name = "pytanie.txt"
        message.file.save("pytanie.txt", ContentFile(b"pytanie"), save=False)
        message.save()
        return {
            "shared_file": shared.pk,
            "message": message.pk,
            "invoice": invoice.pk,
            "offer": offer.pk,
            "contract": contract.pk,
            "project": project.pk,
            "ticket": ticket.pk,
            "attachment": attachment.pk,
            "article": article.pk,
        }


def project_file_make(project: Any, *, name: str = "plik.txt", shared: bool = False, content: bytes = b"tresc") -> Any:
    """A file of the project (crm.notes Attachment), shared with the customer or not."""
    from django.core.files.base import ContentFile

    from crm.notes.models import Attachment
    from crm.portal.models import SharedProjectFile

    attachment = Attachment(
        project=project, customer_id=project.customer_id, name=name, content_type="text/plain", size=len(content)
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    if shared:
        SharedProjectFile.objects.create(attachment=attachment)
    return attachment
