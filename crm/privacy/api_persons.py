"""REST: a person's marketing consents and their anonymisation (RODO, issue 18).

- `GET /api/v1/customers/<id>/consents/`, `/api/v1/contacts/<id>/consents/`: the current
  state of each consent (`email`, `phone`: the newest change, or null) and the `history`;
- `POST` there: records a change (a new event; the history is never edited);
- `POST /api/v1/customers/<id>/anonymise/`, `/api/v1/contacts/<id>/anonymise/`,
  `/api/v1/leads/<id>/anonymise/` with `{"confirm": "<the person's name>"}`: irreversible
  anonymisation, Szef only (a converted lead is refused: anonymise its customer or contact).
Who: anyone who may open the card reads and records consents; a record he cannot open
is a 404; anonymisation below Szef is a 403."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.common.api import AuthedApiRequest
from crm.common.params import ApiDateTimeField
from crm.contacts.models import ContactPerson, Customer
from crm.privacy.anonymise import (
    anonymise_lead_for,
    anonymise_rank_check,
    contact_anonymise,
    customer_anonymise,
    lead_anonymise,
)
from crm.privacy.consents import consent_contact_for, consent_customer_for, consent_record, consents_json
from crm.privacy.models import ConsentChannel, ConsentSource

_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class ConsentChangeSerializer(serializers.Serializer[Any]):
    channel = serializers.ChoiceField(choices=ConsentChannel.choices, help_text=_("`email` albo `phone`."))
    granted = serializers.BooleanField(help_text=_("true: zgoda udzielona, false: wycofana."))
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=ConsentSource.choices, help_text=_("Jak wyrażona: form, web_form, phone, email, paper, import, other.")
    )
    given_at = ApiDateTimeField(required=False, help_text=_("Kiedy (domyślnie teraz)."))
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)

    # Rules no JSON schema keyword states, for the OpenAPI schema (`x-rules`, crm/accounts/openapi.py).
    openapi_rules = {
        "given_at": "Not later than now.",
        "detail": "Refused (400) for a customer that is a company: its contact persons hold the consents.",
    }


class AnonymiseSerializer(serializers.Serializer[Any]):
    confirm = serializers.CharField(max_length=200, help_text=_("Imię i nazwisko osoby, jako potwierdzenie."))

    openapi_rules = {
        "confirm": "Must equal the person's current name (case and spacing aside).",
        "detail": "Refused (400) for a customer that is a company or a person already anonymised.",
    }


_CONSENTS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=_(
        "`email` i `phone`: obecny stan zgody (najnowsza zmiana: granted, given_at, source, recorded_by) "
        "albo null, gdy zgody nie zapisano; `history`: wszystkie zmiany, od najnowszej."
    ),
)
_NOT_FOUND = OpenApiResponse(description=_("Nie ma takiego rekordu albo nie masz do niego dostępu."))


class _ConsentsView(APIView):
    def person(self, request: AuthedApiRequest, pk: int) -> Customer | ContactPerson:
        raise NotImplementedError

    def _get(self, request: AuthedApiRequest, pk: int) -> Response:
        return Response(consents_json(self.person(request, pk)))

    def _post(self, request: AuthedApiRequest, pk: int) -> Response:
        person = self.person(request, pk)
        data = ConsentChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consent_record(person=person, actor=request.user, **data.validated_data)
        return Response(consents_json(person), status=status.HTTP_201_CREATED)


class CustomerConsentsView(_ConsentsView):
    def person(self, request: AuthedApiRequest, pk: int) -> Customer | ContactPerson:
        return consent_customer_for(request.user, pk)

    @extend_schema(
        operation_id="customers_consents",
        summary=_("Zgody marketingowe klienta"),
        description=_("Obecny stan zgód na marketing e-mailowy i telefoniczny klienta-osoby oraz ich historia."),
        parameters=[_ID],
        responses={200: _CONSENTS, 404: _NOT_FOUND},
        tags=["customers"],
    )
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        return self._get(request, pk)

    @extend_schema(
        operation_id="customers_consents_change",
        summary=_("Zapisz zmianę zgody klienta"),
        description=_("Każda zmiana to nowy wpis historii. Klient-firma nie ma własnych zgód (400)."),
        parameters=[_ID],
        request=ConsentChangeSerializer,
        responses={201: _CONSENTS, 400: OpenApiResponse(description=_("Błędne dane.")), 404: _NOT_FOUND},
        tags=["customers"],
    )
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        return self._post(request, pk)


class ContactConsentsView(_ConsentsView):
    def person(self, request: AuthedApiRequest, pk: int) -> Customer | ContactPerson:
        return consent_contact_for(request.user, pk)

    @extend_schema(
        operation_id="contacts_consents",
        summary=_("Zgody marketingowe osoby kontaktowej"),
        description=_("Obecny stan zgód na marketing e-mailowy i telefoniczny osoby kontaktowej oraz ich historia."),
        parameters=[_ID],
        responses={200: _CONSENTS, 404: _NOT_FOUND},
        tags=["contacts"],
    )
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        return self._get(request, pk)

    @extend_schema(
        operation_id="contacts_consents_change",
        summary=_("Zapisz zmianę zgody osoby kontaktowej"),
        description=_("Każda zmiana to nowy wpis historii."),
        parameters=[_ID],
        request=ConsentChangeSerializer,
        responses={201: _CONSENTS, 400: OpenApiResponse(description=_("Błędne dane.")), 404: _NOT_FOUND},
        tags=["contacts"],
    )
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        return self._post(request, pk)


_ANONYMISED = OpenApiResponse(OpenApiTypes.OBJECT, description=_("`id` i nowa nazwa rekordu."))
_ANON_RESPONSES = {
    200: _ANONYMISED,
    400: OpenApiResponse(description=_("Brak lub złe potwierdzenie, klient-firma albo osoba już zanonimizowana.")),
    403: OpenApiResponse(description=_("Tylko Szef może anonimizować dane osób.")),
    404: _NOT_FOUND,
}
_ANON_DESCRIPTION = _(
    "Nieodwracalnie usuwa dane osobowe osoby ze wszystkich rekordów firmy: pola osoby, notatki, treść e-maili, "
    "pliki, historię zgód, kopie w koszu, wzmianki w historii i dzienniku. Zostają kwoty i liczby oraz "
    "wystawione faktury (obowiązek przechowywania 5 lat). Wymaga `confirm` równego imieniu i nazwisku osoby."
)


class CustomerAnonymiseView(APIView):
    @extend_schema(
        operation_id="customers_anonymise",
        summary=_("Anonimizuj klienta-osobę (RODO)"),
        description=_ANON_DESCRIPTION,
        parameters=[_ID],
        request=AnonymiseSerializer,
        responses=_ANON_RESPONSES,
        tags=["customers"],
    )
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        customer = consent_customer_for(request.user, pk)
        anonymise_rank_check(request.user)
        data = AnonymiseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        customer = customer_anonymise(customer=customer, actor=request.user, confirm=data.validated_data["confirm"])
        return Response({"id": customer.pk, "name": customer.name})


class ContactAnonymiseView(APIView):
    @extend_schema(
        operation_id="contacts_anonymise",
        summary=_("Anonimizuj osobę kontaktową (RODO)"),
        description=_ANON_DESCRIPTION,
        parameters=[_ID],
        request=AnonymiseSerializer,
        responses=_ANON_RESPONSES,
        tags=["contacts"],
    )
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        contact = consent_contact_for(request.user, pk)
        anonymise_rank_check(request.user)
        data = AnonymiseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contact = contact_anonymise(contact=contact, actor=request.user, confirm=data.validated_data["confirm"])
        return Response({"id": contact.pk, "name": contact.name})


class LeadAnonymiseView(APIView):
    @extend_schema(
        operation_id="leads_anonymise",
        summary=_("Anonimizuj leada (RODO)"),
        description=_(
            "Nieodwracalnie usuwa dane osobowe leada: pola osoby, notatki, pliki, pola dodatkowe, kopie w koszu, "
            "wzmianki w zadaniach, historii i dzienniku. Zostają szacowana wartość, status, źródło i opiekun. "
            "Lead skonwertowany jest odrzucany (anonimizuje się wtedy klienta lub osobę kontaktową). "
            "Wymaga `confirm` równego imieniu i nazwisku osoby."
        ),
        parameters=[_ID],
        request=AnonymiseSerializer,
        responses=_ANON_RESPONSES,
        tags=["leads"],
    )
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        lead = anonymise_lead_for(request.user, pk)
        anonymise_rank_check(request.user)
        data = AnonymiseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lead = lead_anonymise(lead=lead, actor=request.user, confirm=data.validated_data["confirm"])
        return Response({"id": lead.pk, "name": lead.name})
