"""REST API of the catalogue: /api/v1/products/. Everyone reads; Szef and Kierownik
add and change (403 for a Pracownik). A product is never deleted: `active` false takes
it out of the pickers while documents that name it keep their link."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from crm.catalog import services
from crm.catalog.models import GTU_CHOICES, Product
from crm.catalog.selectors import product_list, product_manage_check
from crm.common.api import AuthedApiRequest, ModelSerializer
from crm.documents.totals import VatRate


class ProductSerializer(ModelSerializer):
    """A product or service: `net_price` a decimal string, `vat_rate` one of 23, 8, 5, 0,
    zw (exempt), np (not subject to Polish VAT), oo (reverse charge); optional GTU code and PKWiU."""

    name = serializers.CharField(max_length=500)
    unit = serializers.CharField(max_length=20, required=False, help_text=_("Np. szt., godz., usł."))
    net_price = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    vat_rate = serializers.ChoiceField(choices=VatRate.choices, required=False)
    currency = serializers.RegexField(
        r"^[A-Z]{3}$",
        required=False,
        help_text=_("Kod ISO 4217, domyślnie PLN."),
        error_messages={"invalid": _("Podaj kod waluty z trzech wielkich liter, np. PLN lub EUR.")},
    )
    gtu = serializers.ChoiceField(choices=[("", "—"), *GTU_CHOICES], required=False, allow_blank=True)
    pkwiu = serializers.CharField(max_length=20, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = Product
        fields = (
            "id",
            "name",
            "unit",
            "net_price",
            "vat_rate",
            "currency",
            "active",
            "gtu",
            "pkwiu",
            "description",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("created_at", "updated_at")

    def create(self, validated_data: dict[str, Any]) -> Product:
        return services.product_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance: Product, validated_data: dict[str, Any]) -> Product:
        return services.product_update(product=instance, actor=self.context["request"].user, **validated_data)


ACTIVE_VALUES: dict[str, bool | None] = {"": None, "true": True, "1": True, "false": False, "0": False}
PRODUCT_FILTERS = [
    OpenApiParameter("search", OpenApiTypes.STR, description="Name or PKWiU (case and Polish diacritics ignored)."),
    OpenApiParameter(
        "active",
        OpenApiTypes.BOOL,
        description="true: only active products (the pickers' list), false: only deactivated ones; every product when omitted.",
    ),
]


@extend_schema_view(list=extend_schema(parameters=PRODUCT_FILTERS))
class ProductViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Products and services of the company's price list."""

    request: AuthedApiRequest
    serializer_class = ProductSerializer
    queryset = Product.objects.none()

    def get_queryset(self) -> QuerySet[Product]:
        if getattr(self, "swagger_fake_view", False):
            return Product.objects.none()
        if self.action != "list":
            return product_list(user=self.request.user, active=None)
        raw = (self.request.query_params.get("active") or "").lower()
        if raw not in ACTIVE_VALUES:
            raise serializers.ValidationError({"active": [_("Podaj true albo false.")]})
        active = ACTIVE_VALUES[raw]
        return product_list(user=self.request.user, query=self.request.query_params.get("search", ""), active=active)

    def perform_create(self, serializer: Any) -> None:
        product_manage_check(self.request.user)
        serializer.save()

    def perform_update(self, serializer: Any) -> None:
        product_manage_check(self.request.user)
        serializer.save()
