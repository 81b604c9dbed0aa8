"""Files leave the company's media folder with their rows, whichever way the rows go
(a deleted note target cascades to its attachments)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django_tenants.utils import tenant_context

from crm.notes.models import Attachment
from tenants.db import connection, on_public_schema


@receiver(post_delete, sender=Attachment, dispatch_uid="notes.attachment_file_delete")
def attachment_file_delete(sender: type[Attachment], instance: Attachment, **kwargs: Any) -> None:
    if not instance.file:
        return
    storage, name = instance.file.storage, instance.file.name
    tenant = None if on_public_schema() else getattr(connection, "tenant", None)

    def remove() -> None:
        if tenant is not None:
            with tenant_context(tenant):
                storage.delete(name)
        else:
            storage.delete(name)

    transaction.on_commit(remove)
