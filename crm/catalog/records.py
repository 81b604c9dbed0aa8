"""The product as a record type (crm.common.records): the global search finds products
by name, and exports know their columns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crm.catalog.models import Product
from crm.catalog.selectors import products_visible_to
from crm.common.records import RecordType

PRODUCT = RecordType(
    key="product",
    key_plural="products",
    model=Product,
    label=_("produkt lub usługa"),
    label_plural=_("Produkty i usługi"),
    visible=products_visible_to,
    card_url_name="catalog:product_detail",
    search_fields=("name",),
    export_columns=(
        ("name", _("Nazwa")),
        ("unit", _("Jednostka")),
        ("net_price", _("Cena netto")),
        ("vat_rate", _("Stawka VAT")),
        ("currency", _("Waluta")),
        ("gtu", _("Kod GTU")),
        ("pkwiu", _("PKWiU")),
        ("active", _("Aktywny")),
    ),
    icon="bi-box-seam",
    position=60,
)
