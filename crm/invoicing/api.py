"""REST API of invoices: /api/v1/invoices/ (same rules as the pages: crm/invoicing/services).

Drafts are created and changed freely; `POST {id}/issue/` numbers one; an issued invoice is
never changed (400 naming `status`) but corrected (`POST {id}/correct/`); a pro-forma
becomes a VAT draft with `POST {id}/convert/`; `POST {id}/send-ksef/` queues the sending
to KSeF; `POST {id}/email/` e-mails an issued one to the customer. Another company's invoice is a 404; a refused rank a 403 with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.common.api import AuthedApiRequest
from crm.common.params import date_param, id_param
from crm.invoicing import services
from crm.invoicing.access import invoices_visible_to
from crm.invoicing.fa3 import invoice_xml
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from crm.invoicing.pdf import invoice_pdf_response
from crm.invoicing.responses import xml_response
from crm.invoicing.selectors import InvoiceFilters, invoice_lines_prefetch, invoice_list, invoice_with_lines
from crm.invoicing.serializers import CorrectionSerializer, InvoiceEmailSerializer, InvoiceSerializer, line_data
from crm.invoicing.services.emailing import invoice_email

INVOICE_FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=list(InvoiceStatus.values)),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=list(InvoiceKind.values)),
    OpenApiParameter("customer", OpenApiTypes.INT, description="Customer id."),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="Issued on or after (YYYY-MM-DD)."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Issued on or before (YYYY-MM-DD)."),
    OpenApiParameter("search", OpenApiTypes.STR, description="Number, buyer's name or NIP."),
]


def _filters(request: Request) -> InvoiceFilters:
    """The list's filters from the query; a bad value is a 400 naming it."""
    params = request.query_params
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name, choices in (("status", InvoiceStatus.values), ("kind", InvoiceKind.values)):
        raw = params.get(name, "")
        if raw and raw not in choices:
            errors[name] = [_("Wybierz wartość z listy: %(choices)s.") % {"choices": ", ".join(choices)}]
        values[name] = raw
    parsers: dict[str, Callable[[Any], Any]] = {"customer": id_param, "date_from": date_param, "date_to": date_param}
    for name, parse in parsers.items():
        try:
            values[name] = parse(params.get(name))
        except ValidationError as exc:
            errors[name] = list(exc.messages)
    if errors:
        raise serializers.ValidationError(errors)
    return InvoiceFilters(q=params.get("search", ""), **values)


@extend_schema_view(list=extend_schema(parameters=INVOICE_FILTERS))
class InvoiceViewSet(viewsets.ModelViewSet):
    """Invoices the caller may see (a restricted Pracownik: of his customers)."""

    request: AuthedApiRequest
    serializer_class = InvoiceSerializer
    queryset = Invoice.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> QuerySet[Invoice]:
        if getattr(self, "swagger_fake_view", False):
            return Invoice.objects.none()
        if self.action == "list":
            # Relations are ids in the API: no joins (planning a query over seven joined
            # tables cost ten times more than running it, bench/invoices.py).
            invoices = invoice_list(user=self.request.user, filters=_filters(self.request)).select_related(None)
            return invoice_lines_prefetch(invoices)
        return invoice_with_lines(invoices_visible_to(self.request.user))

    def _fresh(self, invoice: Invoice) -> Invoice:
        return invoice_with_lines(Invoice.objects.filter(pk=invoice.pk)).get()

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        lines = [line_data(row) for row in data.pop("lines")]
        data.pop("correction_reason", None)
        invoice = services.invoice_create(actor=self.request.user, lines=lines, **data)
        serializer.instance = self._fresh(invoice)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        invoice = serializer.instance
        assert isinstance(invoice, Invoice)
        raw_lines = data.pop("lines", None)
        if invoice.kind != InvoiceKind.CORRECTION:
            data.pop("correction_reason", None)
        updated = services.invoice_update(
            invoice=invoice,
            actor=self.request.user,
            lines=[line_data(row) for row in raw_lines] if raw_lines is not None else None,
            **data,
        )
        serializer.instance = self._fresh(updated)

    def perform_destroy(self, instance: Invoice) -> None:
        services.invoice_delete(invoice=instance, actor=self.request.user)

    def _answer(self, invoice: Invoice, code: int = status.HTTP_200_OK) -> Response:
        data = InvoiceSerializer(self._fresh(invoice), context=self.get_serializer_context()).data
        return Response(data, status=code)

    @extend_schema(request=None, responses={200: InvoiceSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: str | None = None) -> Response:
        """Give the draft the next number of its series and freeze it (issue date: today)."""
        return self._answer(services.invoice_issue(invoice=self.get_object(), actor=self.request.user))

    @extend_schema(request=CorrectionSerializer, responses={201: InvoiceSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str | None = None) -> Response:
        """A draft correction of this issued VAT invoice (issue it with `issue/`)."""
        original = self.get_object()
        body = CorrectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = body.validated_data.get("lines")
        correction = services.invoice_correction_create(
            original=original,
            actor=self.request.user,
            reason=body.validated_data["reason"],
            lines=[line_data(row) for row in rows] if rows is not None else None,
        )
        return self._answer(correction, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: InvoiceSerializer})
    @action(detail=True, methods=["post"])
    def convert(self, request: Request, pk: str | None = None) -> Response:
        """The VAT draft of this issued pro-forma (made once; asked again, the same one)."""
        invoice = services.invoice_proforma_convert(proforma=self.get_object(), actor=self.request.user)
        return self._answer(invoice, status.HTTP_201_CREATED)

    @extend_schema(request=InvoiceEmailSerializer, responses={200: InvoiceSerializer})
    @action(detail=True, methods=["post"])
    def email(self, request: Request, pk: str | None = None) -> Response:
        """E-mail this issued invoice (a pro-forma too) to `to` (default: the customer's
        address) through the company's SMTP, its PDF attached; `emailed_at` records it."""
        invoice = self.get_object()
        body = InvoiceEmailSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        to = body.validated_data.get("to") or ([invoice.customer.email] if invoice.customer.email else [])
        sent = invoice_email(
            invoice=invoice, actor=self.request.user, to=to, message=body.validated_data.get("message", "")
        )
        return self._answer(sent)

    @extend_schema(
        request=None,
        responses={202: OpenApiResponse(InvoiceSerializer, description="Queued; `ksef_status` follows.")},
    )
    @action(detail=True, methods=["post"], url_path="send-ksef")
    def send_ksef(self, request: Request, pk: str | None = None) -> Response:
        """Send this issued invoice to KSeF in the background (refused twice, and for a pro-forma)."""
        invoice = services.invoice_ksef_queue(invoice=self.get_object(), actor=self.request.user)
        return self._answer(invoice, status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[OpenApiParameter("lang", OpenApiTypes.STR, enum=["pl", "en"], description="Language of the PDF.")],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The invoice as PDF.")},
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The invoice as a PDF document (a draft is marked as a draft); `?lang=pl|en`, else
        the invoice's language (the offer's it was made from), else the caller's."""
        return invoice_pdf_response(self.get_object(), language=request.query_params.get("lang"))

    @extend_schema(
        responses={
            (200, "application/xml"): OpenApiResponse(OpenApiTypes.BINARY, description="FA(3) XML, schema-valid."),
            400: OpenApiResponse(description="A draft or a pro-forma: no FA(3) document."),
        }
    )
    def ksef_xml(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The FA(3) XML of this issued VAT invoice or correction, as sent to KSeF
        (validated against the official schema)."""
        invoice = self.get_object()
        return xml_response(invoice_xml(invoice), invoice)
