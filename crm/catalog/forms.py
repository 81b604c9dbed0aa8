"""Forms of the catalogue pages (the rules live in crm/catalog/services.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.catalog.models import Product

CURRENCIES = ["PLN", "EUR", "USD", "GBP", "CHF", "CZK", "SEK", "NOK", "DKK", "UAH", "HUF"]


class ProductForm(forms.ModelForm):
    currency = forms.ChoiceField(label=_("Waluta"), choices=[(c, c) for c in CURRENCIES], initial="PLN")

    class Meta:
        model = Product
        fields = ("name", "unit", "net_price", "vat_rate", "currency", "gtu", "pkwiu", "description")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["net_price"].widget.attrs.update({"min": "0", "step": "0.01", "inputmode": "decimal"})
        self.fields["unit"].help_text = _("Np. szt., godz., usł., kg.")
        self.fields["gtu"].help_text = _("Tylko dla towarów i usług, które tego wymagają (JPK, KSeF).")
        current = self.instance.currency if self.instance.pk else ""
        currency = self.fields["currency"]
        assert isinstance(currency, forms.ChoiceField)
        if current and current not in CURRENCIES:
            currency.choices = [(current, current), *[(c, c) for c in CURRENCIES]]


class ProductFilterForm(forms.Form):
    small = True
    q = forms.CharField(label=_("Szukaj"), required=False, max_length=100)
    show = forms.ChoiceField(
        label=_("Pokaż"),
        required=False,
        choices=[("", _("Aktywne")), ("inactive", _("Wycofane")), ("all", _("Wszystkie"))],
    )

    def active(self) -> bool | None:
        show = self.cleaned_data.get("show", "") if self.is_valid() else ""
        return {"": True, "inactive": False, "all": None}.get(show, True)

    def query(self) -> str:
        return str(self.cleaned_data.get("q", "")) if self.is_valid() else ""
