"""Anonymising a customer who is a natural person (crm.privacy) reaches the discussion of
its projects in the client portal: no trace of the person in the messages or their files."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from crm.contacts.models import CustomerKind
from crm.portal.discussion import message_post
from crm.portal.models import ProjectMessage
from crm.privacy.anonymise import customer_anonymise
from tests.crm.contacts.factories import CustomerFactory
from tests.crm.portal.conftest import contact_with_portal
from tests.crm.projects.factories import project_make

NAME, EMAIL, PHONE = "Zofia Wiśniewska", "zofia.wisniewska@poczta.test", "601 234 567"
TRACES = [NAME, "Wiśniewska", EMAIL, PHONE, "wisniewska"]


def test_anonymising_the_customer_clears_its_contacts_messages_and_files(
    client_a, company_a, szef, django_capture_on_commit_callbacks
):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(name=NAME, kind=CustomerKind.PERSON, email=EMAIL, phone=PHONE)
    contact = contact_with_portal(company_a, email=EMAIL, customer=customer)
    with schema_context(company_a.schema_name):
        contact.name = NAME
        contact.save(update_fields=["name"])
        project = project_make(customer=customer, actor=szef)
        other = project_make(actor=szef, name="Projekt innego klienta")
        upload = SimpleUploadedFile("skan-dowodu.txt", b"PESEL 80010112345", content_type="text/plain")
        written = message_post(project=project, body=f"Mój telefon {PHONE}", contact=contact, upload=upload)
        reply = message_post(project=project, body="Pani Zofio, oddzwonimy jutro.", author=szef)
        untouched = message_post(project=other, body="Inny projekt", author=szef)
        stored = written.file.name
        with django_capture_on_commit_callbacks(execute=True):
            customer_anonymise(customer=customer, actor=szef, confirm=NAME)
        for message in (written, reply):
            message.refresh_from_db()
            text = " ".join([message.body, message.author_name, message.file_name])
            assert not [t for t in TRACES if t.lower() in text.lower()], text
            assert "Zofio" not in message.body and not message.file
        assert not written.file.storage.exists(stored)
        assert ProjectMessage.objects.get(pk=untouched.pk).body == "Inny projekt"
    client_a.login_as(szef)
    card = client_a.get(f"/projects/{project.pk}/").content.decode()
    assert not [t for t in TRACES if t in card] and "skan-dowodu" not in card
