"""Hooks other apps use to fill a new company (default categories, settings).

`company_provisioned` is sent inside the provisioning transaction with the new
company's schema active; a receiver that raises rolls the whole signup back.
"""

from __future__ import annotations

from django.dispatch import Signal

company_provisioned = Signal()  # kwargs: company, owner
