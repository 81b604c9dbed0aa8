from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tenants.models import Company, Domain
from tenants.routing import tenant_lookup_invalidate


@receiver([post_save, post_delete], sender=Company)
@receiver([post_save, post_delete], sender=Domain)
def _invalidate_tenant_lookup(**kwargs: Any) -> None:
    tenant_lookup_invalidate()
