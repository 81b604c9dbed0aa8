"""REST API of expenses: /api/v1/expenses/. Same rules as the pages (crm/expenses/services.py).

JSON or multipart/form-data: a multipart create or update may carry the receipt file in
`receipt`; `GET <id>/receipt/` downloads it, `DELETE <id>/receipt/` removes it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.accounts.models import User
from crm.common.api import AuthedApiRequest, JSONParser, ModelSerializer, related_field
from crm.common.params import ApiDateField
from crm.contacts.models import Customer
from crm.documents.totals import VatRate
from crm.expenses import services
from crm.expenses.forms import ExpenseFilterForm
from crm.expenses.models import TOTAL_DIGITS, Expense, ExpenseCategory
from crm.expenses.receipts import receipt_response
from crm.expenses.selectors import expense_list
from crm.sales.customers import customers_visible_to


class ExpenseSerializer(ModelSerializer):
    """An expense. Give the net `amount` or the `gross_amount` (or both); `vat_amount`
    defaults to the `vat_rate`'s VAT of the net; the missing amounts are computed.
    A `billable` expense needs a `customer`; once on an invoice (`invoiced`) its amounts,
    currency, customer and billable flag stay fixed. A Pracownik's expenses are his own
    (`owner`: himself)."""

    category = serializers.PrimaryKeyRelatedField(
        queryset=ExpenseCategory.objects.all(), required=False, allow_null=True
    )
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none(), required=False, allow_null=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False)
    date = ApiDateField(required=False, help_text="YYYY-MM-DD; default: today")
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, help_text="net amount"
    )
    vat_rate = serializers.ChoiceField(choices=VatRate.choices, required=False, help_text="default: 23")
    vat_amount = serializers.DecimalField(
        max_digits=TOTAL_DIGITS, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    gross_amount = serializers.DecimalField(
        max_digits=TOTAL_DIGITS, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    currency = serializers.RegexField(
        r"^[A-Z]{3}$",
        required=False,
        error_messages={"invalid": _("Podaj kod waluty z trzech wielkich liter, np. PLN lub EUR.")},
    )
    receipt_url = serializers.SerializerMethodField(help_text="download URL of the receipt file, null without one")
    # Rules across fields, for the OpenAPI schema (`x-rules`, crm/accounts/openapi.py).
    openapi_rules = {
        "amount": "Give amount (net) or gross_amount.",
        "gross_amount": "Equals amount + vat_amount when all are given; equals amount for rates without VAT.",
        "vat_amount": "0 for the rates 0, zw, np and oo; at most the net amount.",
        "billable": "A billable expense needs a customer.",
        "owner": "Szef and Kierownik name any active person; a Pracownik only himself.",
        "customer": "Fixed once the expense is on an invoice.",
        "currency": "Fixed once the expense is on an invoice.",
        "vat_rate": "Fixed once the expense is on an invoice.",
        "receipt": "A file, so only in a multipart/form-data body: a PDF or an image (JPG, PNG, WEBP, GIF) "
        "whose content matches its extension, within the size limit.",
    }

    class Meta:
        model = Expense
        fields: tuple[str, ...] = (
            "id",
            "name",
            "description",
            "category",
            "date",
            "amount",
            "vat_rate",
            "vat_amount",
            "gross_amount",
            "currency",
            "supplier",
            "supplier_tax_id",
            "payment_method",
            "reference_number",
            "customer",
            "billable",
            "invoiced",
            "receipt_url",
            "receipt_name",
            "receipt_content_type",
            "receipt_size",
            "owner",
            "created_by",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            "invoiced",
            "receipt_name",
            "receipt_content_type",
            "receipt_size",
            "created_by",
            "created_at",
            "updated_at",
        )

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            related_field(fields, "customer").queryset = customers_visible_to(request.user)
        return fields

    def get_receipt_url(self, obj: Expense) -> str | None:
        return reverse("expense-receipt", args=[obj.pk]) if obj.receipt else None

    def create(self, validated_data: dict[str, Any]) -> Expense:
        name = validated_data.pop("name")
        return services.expense_create(actor=self.context["request"].user, name=name, **validated_data)

    def update(self, instance: Expense, validated_data: dict[str, Any]) -> Expense:
        return services.expense_update(expense=instance, actor=self.context["request"].user, **validated_data)


class ExpenseUploadSerializer(ExpenseSerializer):
    """An expense sent as multipart/form-data, with the receipt file in `receipt`."""

    receipt = serializers.FileField(
        write_only=True, required=False, help_text="PDF, JPG, PNG, WEBP or GIF within the upload size limit"
    )

    class Meta(ExpenseSerializer.Meta):
        fields = (*ExpenseSerializer.Meta.fields, "receipt")


EXPENSE_FILTERS = [
    OpenApiParameter("category", OpenApiTypes.STR, description="category id, or `none` for expenses without one"),
    OpenApiParameter("customer", OpenApiTypes.INT, description="customer id"),
    OpenApiParameter("billable", OpenApiTypes.STR, enum=["true", "false"], description="billable or not"),
    OpenApiParameter("invoiced", OpenApiTypes.STR, enum=["true", "false"], description="already on an invoice or not"),
    OpenApiParameter("owner", OpenApiTypes.INT, description="user id"),
    OpenApiParameter("date_from", date, description="YYYY-MM-DD, 1900-2200 (expense date, inclusive)"),
    OpenApiParameter("date_to", date, description="YYYY-MM-DD, 1900-2200 (inclusive)"),
    OpenApiParameter("search", OpenApiTypes.STR, description="name, supplier or document number"),
]
WRITE_BODIES = {"application/json": ExpenseSerializer, "multipart/form-data": ExpenseUploadSerializer}


@extend_schema_view(
    list=extend_schema(parameters=EXPENSE_FILTERS),
    create=extend_schema(request=WRITE_BODIES, responses={201: ExpenseSerializer}),
    update=extend_schema(request=WRITE_BODIES, responses=ExpenseSerializer),
    partial_update=extend_schema(request=WRITE_BODIES, responses=ExpenseSerializer),
)
class ExpenseViewSet(viewsets.ModelViewSet):
    """Expenses the caller may see: Szef and Kierownik every one, a Pracownik his own;
    others' expenses and another company's ids are a 404."""

    request: AuthedApiRequest
    serializer_class = ExpenseSerializer
    queryset = Expense.objects.none()  # for the schema; requests use get_queryset
    parser_classes = [JSONParser, parsers.MultiPartParser, parsers.FormParser]

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action in ("create", "update", "partial_update"):
            return ExpenseUploadSerializer
        return ExpenseSerializer

    def get_queryset(self) -> QuerySet[Expense]:
        if getattr(self, "swagger_fake_view", False):
            return Expense.objects.none()
        if self.action != "list":
            return expense_list(user=self.request.user)
        form = ExpenseFilterForm(self.request.query_params or None, user=self.request.user)
        if form.is_bound and not form.is_valid():
            raise serializers.ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        return expense_list(user=self.request.user, filters=form.filters())

    def perform_destroy(self, instance: Expense) -> None:
        services.expense_delete(expense=instance, actor=self.request.user)

    @extend_schema(
        methods=["GET"],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        description="The receipt file (as an attachment, with its original name); 404 without one.",
    )
    @extend_schema(methods=["DELETE"], request=None, responses={204: None}, description="Remove the receipt file.")
    @action(detail=True, methods=["get", "delete"], url_path="receipt", url_name="receipt")
    def receipt(self, request: Request, pk: str | None = None) -> FileResponse | Response:
        expense = self.get_object()
        if request.method == "DELETE":
            services.expense_receipt_remove(expense=expense, actor=self.request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        return receipt_response(expense, inline=False)
