"""The personal-data download of the customer card (RODO): the same JSON as the API,
as a file. Rules in crm/privacy/services.py (404 when the card cannot be opened, 403 below Kierownik)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from crm.common.policy import allowed_when_locked
from crm.common.types import AuthedRequest
from crm.privacy.services import (
    contact_personal_data_export,
    customer_personal_data_export,
    lead_personal_data_export,
    personal_data_contact_for,
    personal_data_customer_for,
    personal_data_lead_for,
)


def _download(data: dict[str, Any], name: str) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.json"'
    return response


@allowed_when_locked
@login_required
@require_GET
def customer_personal_data(request: AuthedRequest, pk: int) -> JsonResponse:
    customer = personal_data_customer_for(request.user, pk)
    data = customer_personal_data_export(customer=customer, actor=request.user, file_format="json")
    return _download(data, f"dane-osobowe-klient-{customer.pk}")


@allowed_when_locked
@login_required
@require_GET
def contact_personal_data(request: AuthedRequest, pk: int) -> JsonResponse:
    contact = personal_data_contact_for(request.user, pk)
    data = contact_personal_data_export(contact=contact, actor=request.user, file_format="json")
    return _download(data, f"dane-osobowe-osoba-{contact.pk}")


@allowed_when_locked
@login_required
@require_GET
def lead_personal_data(request: AuthedRequest, pk: int) -> JsonResponse:
    lead = personal_data_lead_for(request.user, pk)
    data = lead_personal_data_export(lead=lead, actor=request.user, file_format="json")
    return _download(data, f"dane-osobowe-lead-{lead.pk}")
