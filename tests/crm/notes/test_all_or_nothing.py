"""Note and file writes are all or nothing: the note, its earlier wording, the stored
file and the activity-log entry are written together or not at all."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django_tenants.utils import schema_context

from crm.notes import services
from crm.notes.models import Attachment, Note, NoteRevision
from tests.crm.contacts.factories import CustomerFactory
from tests.support.refuse import db_refuses

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_an_edited_note_keeps_no_stray_revision_when_saving_the_new_text_fails(company_a, szef):
    with schema_context(company_a.schema_name):
        note = services.note_create(target=CustomerFactory(owner=szef), author=szef, body="Pierwsza wersja")
        db_refuses(company_a.schema_name, "notes_note", "UPDATE")

        with pytest.raises(DatabaseError):
            services.note_update(note=note, editor=szef, body="Druga wersja")

        assert Note.objects.get(pk=note.pk).body == "Pierwsza wersja"
        assert not NoteRevision.objects.filter(note_id=note.pk).exists()


def test_a_note_is_not_kept_when_its_activity_entry_cannot_be_written(company_a, szef):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
        db_refuses(company_a.schema_name, "activity_activityentry", "INSERT")

        with pytest.raises(DatabaseError):
            services.note_create(target=customer, author=szef, body="Notatka")

        assert not Note.objects.filter(customer=customer).exists()


def test_a_file_is_neither_listed_nor_stored_when_its_activity_entry_cannot_be_written(company_a, szef, media):
    with schema_context(company_a.schema_name):
        customer = CustomerFactory(owner=szef)
        db_refuses(company_a.schema_name, "activity_activityentry", "INSERT")
        upload = SimpleUploadedFile("umowa.pdf", PDF, content_type="application/pdf")

        with pytest.raises(DatabaseError):
            services.attachment_create(target=customer, uploaded_by=szef, upload=upload)

        assert not Attachment.objects.filter(customer=customer).exists()
    assert not [p for p in media.rglob("*") if p.is_file()]
