"""REST API of recurring invoices: /api/v1/recurring-invoices/ (crm/invoicing/recurring.py
decides). Everyone reads those of the invoices he sees; Szef and Kierownik write."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets

from crm.common.api import AuthedApiRequest, ModelSerializer, related_field
from crm.common.params import ApiDateField
from crm.invoicing import recurring as services
from crm.invoicing.access import invoices_visible_to
from crm.invoicing.api_payments import ManagersWrite
from crm.invoicing.models import Invoice, RecurringInterval, RecurringInvoice


class RecurringInvoiceSerializer(ModelSerializer):
    """A VAT invoice issued again every month, quarter or year from `template` (its
    customer, lines and payment term), the next one dated `next_date`. With
    `issue_automatically` false each period's invoice is left as a draft."""

    template = serializers.PrimaryKeyRelatedField(
        queryset=Invoice.objects.none(), help_text=_("Faktura VAT, z której powstają kolejne.")
    )
    interval = serializers.ChoiceField(choices=RecurringInterval.choices)
    next_date = ApiDateField()
    end_date = ApiDateField(required=False, allow_null=True)
    template_number = serializers.CharField(source="template.number", read_only=True)
    customer = serializers.IntegerField(source="template.customer_id", read_only=True)
    invoices = serializers.SerializerMethodField(help_text="Ids of the invoices made so far, newest first.")

    openapi_rules = {
        "template": "A VAT invoice (not a pro-forma, a correction or a cancelled invoice) that is not recurring yet.",
        "next_date": "Today or later (when set or moved).",
        "end_date": "Not before `next_date`.",
    }

    class Meta:
        model = RecurringInvoice
        fields = (
            "id",
            "template",
            "template_number",
            "customer",
            "interval",
            "next_date",
            "end_date",
            "issue_automatically",
            "active",
            "last_period",
            "invoices",
            "created_at",
        )
        read_only_fields = ("last_period", "created_at")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            related_field(fields, "template").queryset = invoices_visible_to(request.user)
        if self.instance is not None and not isinstance(self.instance, list | QuerySet):
            fields["template"].read_only = True
        return fields

    def get_invoices(self, obj: RecurringInvoice) -> list[int]:
        return [run.invoice_id for run in obj.runs.all() if run.invoice_id is not None]

    def create(self, validated_data: dict[str, Any]) -> RecurringInvoice:
        validated_data.pop("active", None)
        return services.recurring_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance: RecurringInvoice, validated_data: dict[str, Any]) -> RecurringInvoice:
        validated_data.pop("template", None)
        return services.recurring_update(actor=self.context["request"].user, recurring=instance, **validated_data)


class RecurringInvoiceViewSet(viewsets.ModelViewSet):
    """Recurring invoices of the invoices the caller sees; beat issues each period once.
    Szef and Kierownik create, change, stop (`active` false) and delete them (403 for a
    Pracownik); another company's is a 404."""

    request: AuthedApiRequest
    serializer_class = RecurringInvoiceSerializer
    permission_classes = [ManagersWrite]
    queryset = RecurringInvoice.objects.none()

    def get_queryset(self) -> QuerySet[RecurringInvoice]:
        if getattr(self, "swagger_fake_view", False):
            return RecurringInvoice.objects.none()
        return (
            RecurringInvoice.objects.filter(template__in=invoices_visible_to(self.request.user))
            .select_related("template")
            .prefetch_related("runs")
            .order_by("next_date", "id")
        )

    def perform_destroy(self, instance: RecurringInvoice) -> None:
        services.recurring_delete(actor=self.request.user, recurring=instance)
