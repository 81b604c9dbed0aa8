"""REST: everything the company holds about a person (RODO), as JSON:
/api/v1/customers/<id>/personal-data/, /api/v1/contacts/<id>/personal-data/ and
/api/v1/leads/<id>/personal-data/.
Rules in crm/privacy/services.py: 404 when the caller cannot see the record, 403 below Kierownik."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.common.api import AuthedApiRequest
from crm.privacy.services import (
    contact_personal_data_export,
    customer_personal_data_export,
    lead_personal_data_export,
    personal_data_contact_for,
    personal_data_customer_for,
    personal_data_lead_for,
)

_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
_RESPONSES = {
    200: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description=_(
            "Nagłówek (format_version, generated_at, company, generated_by, subject), dane osoby, "
            "rekordy każdego typu (records), notatki, lista plików (bez treści), oś czasu i wpisy dziennika "
            "aktywności. Daty w ISO 8601, kwoty jako tekst."
        ),
    ),
    403: OpenApiResponse(description=_("Tylko Szef i Kierownik mogą pobrać dane osobowe.")),
    404: OpenApiResponse(description=_("Nie ma takiego rekordu albo nie masz do niego dostępu.")),
}


class CustomerPersonalDataView(APIView):
    @extend_schema(
        operation_id="customers_personal_data",
        summary=_("Dane osobowe klienta (RODO)"),
        description=_(
            "Wszystko, co firma przechowuje o kliencie: jego dane, osoby kontaktowe, szanse, zadania, oferty, "
            "faktury, umowy, projekty, zgłoszenia z odpowiedziami, notatki, pliki i historia. "
            "Każde pobranie trafia do dziennika aktywności."
        ),
        parameters=[_ID],
        responses=_RESPONSES,
        tags=["customers"],
    )
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        customer = personal_data_customer_for(request.user, pk)
        return Response(customer_personal_data_export(customer=customer, actor=request.user, file_format="json"))


class ContactPersonalDataView(APIView):
    @extend_schema(
        operation_id="contacts_personal_data",
        summary=_("Dane osobowe osoby kontaktowej (RODO)"),
        description=_(
            "Wszystko, co firma przechowuje o osobie kontaktowej: jej dane, klient, zgłoszenia, "
            "w których występuje, notatki i historia. Każde pobranie trafia do dziennika aktywności."
        ),
        parameters=[_ID],
        responses=_RESPONSES,
        tags=["contacts"],
    )
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        contact = personal_data_contact_for(request.user, pk)
        return Response(contact_personal_data_export(contact=contact, actor=request.user, file_format="json"))


class LeadPersonalDataView(APIView):
    @extend_schema(
        operation_id="leads_personal_data",
        summary=_("Dane osobowe leada (RODO)"),
        description=_(
            "Wszystko, co firma przechowuje o leadzie: jego dane, zadania, notatki, pliki i historia. "
            "Każde pobranie trafia do dziennika aktywności."
        ),
        parameters=[_ID],
        responses=_RESPONSES,
        tags=["leads"],
    )
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        lead = personal_data_lead_for(request.user, pk)
        return Response(lead_personal_data_export(lead=lead, actor=request.user, file_format="json"))
