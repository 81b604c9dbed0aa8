"""Forms of the offer pages: the offer with its lines (a formset whose rows the page adds
and removes, static/js/offers.js), sending, and the customer's answers on the public
page. They collect and check input; the rules live in crm/offers/services.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.accounts.access import sees_everything
from crm.accounts.models import User
from crm.catalog.models import Product
from crm.common import params
from crm.common.forms import model_choice_field
from crm.contacts.selectors import customers_visible_to
from crm.documents.lines import MAX_AMOUNT, MAX_QUANTITY, LineData
from crm.documents.totals import VatRate
from crm.offers.answers import COMMENT_MAX, NAME_MAX
from crm.offers.models import Offer
from crm.sales.forms import CURRENCIES
from crm.sales.selectors import deals_visible_to
from crm.sales.widgets import CustomerDealSelect, DateInput, customer_deal_pickers

MAX_LINES = 200


class OfferForm(forms.ModelForm):
    currency = forms.ChoiceField(label=_("Waluta"), choices=[(c, c) for c in CURRENCIES], initial="PLN")

    class Meta:
        model = Offer
        fields = (
            "customer",
            "deal",
            "title",
            "issue_date",
            "valid_until",
            "currency",
            "language",
            "owner",
            "introduction",
            "terms",
        )
        field_classes = {"issue_date": params.DateField, "valid_until": params.DateField}
        widgets = {
            "issue_date": DateInput(),
            "valid_until": DateInput(),
            "deal": CustomerDealSelect(),
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "terms": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        customer_deal_pickers(self, customers=customers_visible_to(user), deals=deals_visible_to(user))
        staff = User.objects.filter(is_active=True).order_by("name", "email")
        model_choice_field(self, "owner").queryset = staff if sees_everything(user) else staff.filter(pk=user.pk)
        self.fields["issue_date"].required = True
        self.fields["valid_until"].help_text = _("Po tej dacie klient nie zaakceptuje już oferty.")
        self.fields["introduction"].help_text = _("Tekst na początku oferty, np. opis propozycji.")
        current = self.initial.get("currency") or (self.instance.currency if self.instance.pk else "PLN")
        currency = self.fields["currency"]
        assert isinstance(currency, forms.ChoiceField)
        if current and current not in CURRENCIES:
            currency.choices = [(current, current), *[(c, c) for c in CURRENCIES]]


def _decimal(label: Any, *, places: int, minimum: Decimal, maximum: Decimal, digits: int) -> forms.DecimalField:
    field = forms.DecimalField(
        label=label, max_digits=digits, decimal_places=places, min_value=minimum, max_value=maximum
    )
    field.widget.attrs.update({"step": "any", "inputmode": "decimal"})
    return field


class OfferLineForm(forms.Form):
    """One line of the offer (a row of the formset)."""

    product = forms.ModelChoiceField(queryset=Product.objects.all(), required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Nazwa"), max_length=500)
    quantity = _decimal(_("Ilość"), places=4, minimum=Decimal("0.0001"), maximum=MAX_QUANTITY, digits=14)
    unit = forms.CharField(label=_("Jedn."), max_length=20, initial="szt.")
    net_price = _decimal(_("Cena netto"), places=2, minimum=Decimal(0), maximum=MAX_AMOUNT, digits=14)
    vat_rate = forms.ChoiceField(label=_("VAT"), choices=VatRate.choices, initial=VatRate.R23)
    discount_percent = _decimal(_("Rabat %"), places=2, minimum=Decimal(0), maximum=Decimal(100), digits=5)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quantity"].initial = Decimal(1)
        self.fields["discount_percent"].initial = Decimal(0)
        self.fields["discount_percent"].required = False
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("data-line-field", name)

    def line_data(self) -> LineData:
        data = self.cleaned_data
        product = data.get("product")
        return LineData(
            name=data["name"],
            quantity=data["quantity"],
            unit=data["unit"],
            net_price=data["net_price"],
            vat_rate=data["vat_rate"],
            discount_percent=data.get("discount_percent") or Decimal(0),
            product_id=product.pk if product is not None else None,
            gtu=product.gtu if product is not None else "",
            pkwiu=product.pkwiu if product is not None else "",
        )


class BaseLineFormSet(forms.BaseFormSet):
    def line_data(self) -> list[LineData]:
        """The lines kept (rows neither removed nor added and left untouched), in page order."""
        return [form.line_data() for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


OfferLineFormSet = forms.formset_factory(
    OfferLineForm,
    formset=BaseLineFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_LINES,
    validate_max=True,
    absolute_max=MAX_LINES,
)


def lines_initial(offer: Offer) -> list[dict[str, Any]]:
    return [
        {
            "product": line.product_id,
            "name": line.name,
            "quantity": line.quantity.normalize() if line.quantity == line.quantity.to_integral() else line.quantity,
            "unit": line.unit,
            "net_price": line.net_price,
            "vat_rate": line.vat_rate,
            "discount_percent": line.discount_percent,
        }
        for line in offer.lines.order_by("position", "id")
    ]


class OfferSendForm(forms.Form):
    to = forms.CharField(
        label=_("Do"),
        max_length=1000,
        help_text=_("Adres e-mail klienta; kilka adresów rozdziel przecinkami."),
    )
    message = forms.CharField(
        label=_("Wiadomość (opcjonalnie)"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class AcceptForm(forms.Form):
    name = forms.CharField(label=_("Imię i nazwisko"), max_length=NAME_MAX)
    confirm = forms.BooleanField(label=_("Akceptuję ofertę i jej warunki."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update({"autocomplete": "name"})


class DeclineForm(forms.Form):
    comment = forms.CharField(
        label=_("Komentarz (opcjonalnie)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Np. co zmienić, abyśmy mogli przygotować lepszą ofertę."),
    )
