"""/api/v1/settings/company/ (Szef only): the company's data printed on invoices and its
invoicing settings. GET reads them, PATCH changes any of them (all or nothing)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.accounts.access import IsSzef
from crm.common.api import AuthedApiRequest
from crm.company.models import CompanySettings
from crm.invoicing.numbering import number_pattern_check
from crm.settings.services import COMPANY_DATA_FIELDS, company_data_update, company_settings_fresh
from crm.settings.validators import iban_validate, nip_validate
from tenants.context import request_company

PATTERN_FIELDS = ("invoice_number_pattern", "proforma_number_pattern", "correction_number_pattern")
POLAND = ("polska", "poland", "pl")


def _django_check(check: Any, value: str) -> str:
    try:
        return str(check(value))
    except ValidationError as exc:
        raise serializers.ValidationError(exc.messages) from None


class CompanyDataSerializer(serializers.Serializer):
    """The seller on every invoice: name, NIP (checksum), address, bank account (IBAN
    checksum; a Polish 26-digit account number is taken as PL IBAN), e-mail, phone; and
    the invoicing settings: number patterns ({YYYY}, {YY}, {MM}, {NR}), when numbering
    starts again, the payment term, the place of issue, whether a Pracownik may issue."""

    name = serializers.CharField(max_length=200, help_text="The company's name (shown in the header too).")
    tax_id = serializers.CharField(max_length=20, allow_blank=True, help_text="NIP, 10 digits (checksum).")
    address = serializers.CharField(source="street", max_length=200, allow_blank=True, help_text="Street and number.")
    postal_code = serializers.CharField(max_length=12, allow_blank=True)
    city = serializers.CharField(max_length=100, allow_blank=True)
    country = serializers.CharField(max_length=100, allow_blank=True)
    bank_account = serializers.CharField(max_length=40, allow_blank=True, help_text="IBAN (checksum).")
    email = serializers.EmailField(allow_blank=True)
    phone = serializers.CharField(max_length=40, allow_blank=True)
    website = serializers.URLField(allow_blank=True, max_length=200)
    place_of_issue = serializers.CharField(max_length=100, allow_blank=True)
    payment_term_days = serializers.IntegerField(min_value=0, max_value=365)
    invoice_number_pattern = serializers.CharField(max_length=60)
    proforma_number_pattern = serializers.CharField(max_length=60)
    correction_number_pattern = serializers.CharField(max_length=60)
    number_reset = serializers.ChoiceField(choices=[("monthly", "monthly"), ("yearly", "yearly")])
    pracownik_may_issue_invoices = serializers.BooleanField()

    openapi_rules = {
        "postal_code": "In Poland (country Polska, Poland or PL, or empty) the form 00-000.",
        "invoice_number_pattern": "Exactly one {NR}; {YYYY} or {YY} and {MM} for a monthly reset, a year for yearly; "
        "only letters, digits, spaces, - / . besides the fields.",
        "proforma_number_pattern": "As invoice_number_pattern, and different from the other patterns.",
        "correction_number_pattern": "As invoice_number_pattern, and different from the other patterns.",
    }

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("Podaj nazwę firmy."))
        return value.strip()

    def validate_tax_id(self, value: str) -> str:
        return _django_check(nip_validate, value) if value.strip() else ""

    def validate_bank_account(self, value: str) -> str:
        return _django_check(iban_validate, value) if value.strip() else ""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        current = self.instance if isinstance(self.instance, CompanySettings) else None

        def value(name: str) -> Any:
            return attrs[name] if name in attrs else getattr(current, name, "")

        errors: dict[str, list[str]] = {}
        country = str(value("country") or "Polska").strip().lower()
        postal = attrs.get("postal_code", "").strip()
        if postal and country in POLAND and not re.fullmatch(r"\d{2}-\d{3}", postal):
            errors["postal_code"] = [str(_("Kod pocztowy w Polsce ma postać 00-000."))]
        if any(name in attrs for name in (*PATTERN_FIELDS, "number_reset")):
            seen: dict[str, str] = {}
            for name in PATTERN_FIELDS:
                try:
                    pattern = number_pattern_check(str(value(name)), reset=str(value("number_reset")))
                except ValidationError as exc:
                    errors[name] = list(exc.messages)
                    continue
                if pattern in seen.values():
                    errors[name] = [str(_("Każdy rodzaj faktury potrzebuje innego wzoru numeru."))]
                seen[name] = pattern
                if name in attrs:
                    attrs[name] = pattern
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def _current(request: Request) -> dict[str, Any]:
    """The values to serialize (keys as the serializer's sources: `address` reads `street`)."""
    obj = CompanySettings.current()
    company = request_company(request._request)
    data: dict[str, Any] = {field: getattr(obj, field) for field in COMPANY_DATA_FIELDS}
    data["name"] = company.name if company is not None else ""
    return data


class CompanyDataView(APIView):
    """The company's data on invoices and its invoicing settings (Szef only)."""

    request: AuthedApiRequest
    permission_classes = [IsSzef]

    @extend_schema(responses={200: CompanyDataSerializer})
    def get(self, request: Request) -> Response:
        return Response(CompanyDataSerializer(_current(request)).data)

    @extend_schema(request=CompanyDataSerializer, responses={200: CompanyDataSerializer})
    def patch(self, request: Request) -> Response:
        serializer = CompanyDataSerializer(company_settings_fresh(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        name = data.pop("name", None)
        company_data_update(actor=self.request.user, name=name, **data)
        return Response(CompanyDataSerializer(_current(request)).data)
