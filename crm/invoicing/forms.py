"""Forms of the invoice pages: the invoice's header and its lines (a formset). They only
collect and check input; the rules live in crm/invoicing/services (the API's too)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.accounts.models import User
from crm.catalog.models import GTU_CHOICES, Product
from crm.common import params
from crm.common.forms import choice_field, model_choice_field
from crm.contacts.selectors import customers_visible_to
from crm.documents.totals import VatRate
from crm.expenses.models import Expense
from crm.expenses.selectors import expenses_visible_to
from crm.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from crm.invoicing.services import LineData
from crm.invoicing.services.common import MAX_LINES
from crm.sales.widgets import DateInput, SearchSelect

CURRENCIES = ["PLN", "EUR", "USD", "GBP", "CHF", "CZK", "SEK", "NOK", "DKK", "UAH", "HUF"]
PRODUCT_CHOICES_LIMIT = 500
_SPACES = re.compile(r"[\s\u00a0\u202f]")


class AmountField(forms.DecimalField):
    """A decimal typed the Polish way or not: "1 234,56", "1234,56" and "1234.56" alike."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = _SPACES.sub("", value).replace(",", ".")
        return super().to_python(value)


class ProductSelect(forms.Select):
    """Each product option carries what it fills into the line (static/js/document_lines.js)."""

    def create_option(
        self,
        name: str,
        value: Any,
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        product = getattr(value, "instance", None)
        if isinstance(product, Product):
            option["attrs"].update(
                {
                    "data-name": product.name,
                    "data-unit": product.unit,
                    "data-net-price": str(product.net_price).replace(".", ","),
                    "data-vat-rate": product.vat_rate,
                    "data-gtu": product.gtu,
                }
            )
        return option


class InvoiceLineForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Produkt z katalogu"), queryset=Product.objects.none(), required=False, widget=ProductSelect
    )
    name = forms.CharField(label=_("Nazwa towaru lub usługi"), max_length=500)
    quantity = AmountField(
        label=_("Ilość"), max_digits=14, decimal_places=4, min_value=Decimal("0.0001"), initial=Decimal(1)
    )
    unit = forms.CharField(label=_("J.m."), max_length=20, initial="szt.")
    net_price = AmountField(label=_("Cena netto"), max_digits=14, decimal_places=2, min_value=Decimal(0))
    vat_rate = forms.ChoiceField(label=_("VAT"), choices=VatRate.choices, initial=VatRate.R23)
    discount_percent = AmountField(
        label=_("Rabat %"), max_digits=5, decimal_places=2, min_value=Decimal(0), max_value=Decimal(100), required=False
    )
    gtu = forms.ChoiceField(label=_("GTU"), choices=[("", "—"), *GTU_CHOICES], required=False)
    annex15 = forms.BooleanField(label=_("Zał. 15 (MPP)"), required=False)

    def __init__(self, *args: Any, products: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        product = model_choice_field(self, "product")
        product.queryset = products if products is not None else Product.objects.none()

    def line(self) -> LineData:
        data = self.cleaned_data
        return LineData(
            name=data["name"],
            net_price=data["net_price"],
            quantity=data["quantity"],
            unit=data["unit"],
            vat_rate=data["vat_rate"],
            discount_percent=data.get("discount_percent") or Decimal(0),
            product=data.get("product"),
            gtu=data.get("gtu") or "",
            annex15=bool(data.get("annex15")),
        )


class BaseLineFormSet(forms.BaseFormSet):
    # "Remove" is a button (static/js/document_lines.js) that sets this hidden input.
    deletion_widget = forms.HiddenInput

    def __init__(self, *args: Any, products: Any = None, **kwargs: Any) -> None:
        self.products = products
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "products": self.products}

    def lines(self) -> list[LineData]:
        return [
            form.line()
            for form in self.forms
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


# formset_factory is typed as returning the base class; it returns a subclass of ours.
LineFormSet = cast(
    "type[BaseLineFormSet]",
    forms.formset_factory(
        InvoiceLineForm,
        formset=BaseLineFormSet,
        extra=0,
        min_num=1,
        validate_min=True,
        max_num=MAX_LINES,
        validate_max=True,
        can_delete=True,
    ),
)


# With billable expenses ticked the typed lines may be none: the expenses are the lines.
LineFormSetOptional = cast(
    "type[BaseLineFormSet]",
    forms.formset_factory(
        InvoiceLineForm,
        formset=BaseLineFormSet,
        extra=0,
        min_num=0,
        max_num=MAX_LINES,
        validate_max=True,
        can_delete=True,
    ),
)


def line_formset_class(data: Any) -> type[BaseLineFormSet]:
    return LineFormSetOptional if data and data.getlist("expenses") else LineFormSet


def products_for_lines() -> Any:
    return Product.objects.filter(active=True).order_by("name", "id")[:PRODUCT_CHOICES_LIMIT]


def line_initial(lines: Any) -> list[dict[str, Any]]:
    return [
        {
            "product": line.product_id,
            "name": line.name,
            "quantity": line.quantity.normalize() if line.quantity == line.quantity.to_integral() else line.quantity,
            "unit": line.unit,
            "net_price": line.net_price,
            "vat_rate": line.vat_rate,
            "discount_percent": line.discount_percent or None,
            "gtu": line.gtu,
            "annex15": line.annex15,
        }
        for line in lines
    ]


class ExpenseChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        expense = cast(Expense, obj)
        category = f" ({expense.category.name})" if expense.category is not None else ""
        vat = expense.get_vat_rate_display()
        return str(
            _("%(date)s · %(name)s%(category)s · %(net)s %(currency)s netto, VAT %(vat)s")
            % {
                "date": expense.date.strftime("%d.%m.%Y"),
                "name": expense.name,
                "category": category,
                "net": f"{expense.amount:.2f}".replace(".", ","),
                "currency": expense.currency,
                "vat": vat,
            }
        )


def expenses_offered(user: User, customer_id: int | None, invoice: Invoice | None) -> Any:
    """Billable expenses of the customer not on an invoice yet, and those on this draft."""
    if not customer_id:
        return Expense.objects.none()
    free = Q(invoiced__isnull=True)
    if invoice is not None and invoice.pk:
        free |= Q(invoiced_id=invoice.pk)
    return (
        expenses_visible_to(user)
        .filter(free, customer_id=customer_id, billable=True)
        .select_related("category")
        .order_by("date", "id")
    )


class InvoiceForm(forms.ModelForm):
    currency = forms.ChoiceField(label=_("Waluta"), choices=[(c, c) for c in CURRENCIES], initial="PLN")
    exchange_rate = AmountField(
        label=_("Kurs waluty (PLN)"),
        max_digits=10,
        decimal_places=4,
        min_value=Decimal("0.0001"),
        required=False,
        help_text=_("Puste: kurs średni NBP z ostatniego dnia roboczego przed datą sprzedaży."),
    )

    class Meta:
        model = Invoice
        fields = (
            "kind",
            "customer",
            "issue_date",
            "sale_date",
            "due_date",
            "payment_method",
            "currency",
            "exchange_rate",
            "place_of_issue",
            "split_payment",
            "exemption_basis",
            "correction_reason",
            "notes",
        )
        field_classes = {"issue_date": params.DateField, "sale_date": params.DateField, "due_date": params.DateField}
        widgets = {
            "issue_date": DateInput(),
            "sale_date": DateInput(),
            "due_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "split_payment": _("Włączany sam, gdy wymaga tego ustawa (powyżej 15 000 zł brutto, towary z zał. 15)."),
            "exemption_basis": _("Wymagana przy stawce „zw”, np. art. 43 ust. 1 pkt 29 lit. a ustawy o VAT."),
            "issue_date": _("Przy wystawieniu faktura dostaje dzisiejszą datę."),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        customer = model_choice_field(self, "customer")
        customer.queryset = customers_visible_to(user)
        customer.widget = SearchSelect("sales:customer_options", search_label=str(_("Szukaj klienta")))
        customer.widget.choices = customer.choices
        kind = choice_field(self, "kind")
        kind.choices = [(InvoiceKind.VAT, InvoiceKind.VAT.label), (InvoiceKind.PROFORMA, InvoiceKind.PROFORMA.label)]
        for name in ("issue_date", "sale_date", "due_date", "place_of_issue"):
            self.fields[name].required = False
        correction = self.instance.pk is not None and self.instance.kind == InvoiceKind.CORRECTION
        if correction:
            del self.fields["kind"]
            del self.fields["customer"]
            self.fields["correction_reason"].required = True
        else:
            del self.fields["correction_reason"]
        current = self.initial.get("currency") or self.instance.currency or "PLN"
        currency = choice_field(self, "currency")
        if current not in CURRENCIES:
            currency.choices = [(current, current), *[(c, c) for c in CURRENCIES]]
        self._expenses_field(user, correction)

    def _expenses_field(self, user: User, correction: bool) -> None:
        """ "Bill expenses": the customer's billable expenses, offered as lines at cost."""
        customer_id: Any = None
        if self.is_bound:
            customer_id = self.data.get(self.add_prefix("customer"))
        if not customer_id:
            initial = self.initial.get("customer")
            customer_id = getattr(initial, "pk", initial) or self.instance.customer_id
        try:
            customer_id = int(customer_id) if customer_id else None
        except (TypeError, ValueError):
            customer_id = None
        offered = expenses_offered(user, customer_id, self.instance)
        if correction or not offered.exists():
            return
        self.fields["expenses"] = ExpenseChoices(
            label=_("Wydatki do refakturowania"),
            queryset=offered,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_(
                "Zaznaczony wydatek trafia na fakturę jako pozycja (kwota netto i stawka VAT wydatku); "
                "odznaczony schodzi z faktury razem ze swoją pozycją."
            ),
        )
        if self.instance.pk:
            self.initial["expenses"] = [e.pk for e in offered if e.invoiced_id == self.instance.pk]

    def changes(self) -> dict[str, Any]:
        """The header as keyword arguments of the services (empty dates: their defaults)."""
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        for name in ("issue_date", "sale_date", "due_date"):
            if data.get(name) is None:
                data.pop(name)
        if data.get("place_of_issue") is None:
            data.pop("place_of_issue", None)
        if "expenses" in data:
            data["expenses"] = [expense.pk for expense in data["expenses"] or []]
        return data


class InvoiceFilterForm(forms.Form):
    """The list's filters (in the URL, bookmarkable)."""

    small = True
    search = forms.CharField(label=_("Numer, nabywca lub NIP"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Wszystkie")), *InvoiceStatus.choices]
    )
    kind = forms.ChoiceField(label=_("Rodzaj"), required=False, choices=[("", _("Wszystkie")), *InvoiceKind.choices])
    customer = forms.ModelChoiceField(label=_("Klient"), queryset=Invoice.objects.none(), required=False)
    date_from = params.DateField(label=_("Wystawione od"), required=False, widget=DateInput())
    date_to = params.DateField(label=_("Wystawione do"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        customer = model_choice_field(self, "customer")
        customer.queryset = customers_visible_to(user)
        customer.empty_label = str(_("Wszyscy"))
        customer.widget = SearchSelect("sales:customer_options", search_label=str(_("Szukaj klienta")))
        customer.widget.choices = customer.choices


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Przyczyna korekty"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Np. rabat udzielony po sprzedaży, zwrot towaru, błędna cena."),
    )


class InvoiceEmailForm(forms.Form):
    """E-mailing an issued invoice: the addresses typed (prefilled with the customer's)
    plus the contact persons' ticked; the message is put above the invoice's data."""

    to = forms.CharField(
        label=_("Do"),
        max_length=1000,
        required=False,
        help_text=_("Adres e-mail klienta; kilka adresów rozdziel przecinkami."),
    )
    contacts = forms.MultipleChoiceField(
        label=_("Osoby kontaktowe"), required=False, widget=forms.CheckboxSelectMultiple
    )
    message = forms.CharField(
        label=_("Wiadomość (opcjonalnie)"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, contacts: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contacts"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(contacts)
        if not contacts:
            field.widget = forms.MultipleHiddenInput()

    def recipients(self) -> list[str]:
        typed = [part for part in re.split(r"[,;\s]+", self.cleaned_data.get("to") or "") if part]
        return [*typed, *self.cleaned_data.get("contacts", [])]
