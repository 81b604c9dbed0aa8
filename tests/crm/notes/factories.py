"""Factories for notes, their revisions, attached files and timeline events (call inside
the company schema). A file is written to the storage's MEDIA_ROOT: the notes and contacts
tests give each test its own."""

from __future__ import annotations

import factory
from django.utils import timezone

from crm.notes.models import Attachment, Note, NoteRevision, TimelineEvent
from tests.crm.contacts.factories import CustomerFactory

FILE_DATA = b"Oferta dla klienta\n"


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    customer = factory.SubFactory(CustomerFactory)
    body = factory.Sequence(lambda n: f"Notatka {n}")


class NoteRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoteRevision

    note = factory.SubFactory(NoteFactory)
    body = factory.Sequence(lambda n: f"Poprzednia treść {n}")
    written_at = factory.LazyFunction(timezone.now)


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    customer = factory.SubFactory(CustomerFactory)
    file = factory.django.FileField(filename="oferta.txt", data=FILE_DATA)
    name = "oferta.txt"
    content_type = "text/plain"
    size = len(FILE_DATA)


class TimelineEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimelineEvent

    customer = factory.SubFactory(CustomerFactory)
    kind = "customer_updated"
    message = factory.Sequence(lambda n: f"Zmiana {n}")
