"""Forms of the expense pages (and the API's list filters). They only collect and check
input; the rules live in crm/expenses/services.py, the same ones the API uses."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.accounts.access import is_manager
from crm.accounts.models import User
from crm.common import params
from crm.common.forms import choice_field, model_choice_field
from crm.contacts.models import Customer
from crm.documents.totals import rate_vat
from crm.expenses.models import Expense, ExpenseCategory
from crm.expenses.report import default_period
from crm.expenses.selectors import ExpenseFilters
from crm.expenses.services import RECEIPT_TYPES
from crm.sales.customers import customers_visible_to
from crm.sales.widgets import DateInput, SearchSelect

RECEIPT_ACCEPT = ",".join(sorted({content_type for content_type, _sig in RECEIPT_TYPES.values()}))
UNCATEGORISED = "none"
YES_NO = {"true": True, "false": False}


def _staff() -> Any:
    return User.objects.filter(is_active=True).order_by("name", "email")


class ExpenseForm(forms.ModelForm):
    amount = forms.DecimalField(
        label=_("Kwota netto"), required=False, min_value=0, max_digits=14, decimal_places=2, localize=True
    )
    vat_amount = forms.DecimalField(
        label=_("Kwota VAT"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        localize=True,
        help_text=_("Puste: wyliczona ze stawki."),
    )
    gross_amount = forms.DecimalField(
        label=_("Kwota brutto"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        localize=True,
        help_text=_("Wystarczy netto albo brutto — brakującą kwotę wyliczymy."),
    )
    receipt_upload = forms.FileField(
        label=_("Dowód zakupu (paragon, faktura)"),
        required=False,
        help_text=_("PDF, JPG, PNG, WEBP lub GIF."),
        widget=forms.ClearableFileInput(attrs={"accept": RECEIPT_ACCEPT}),
    )
    receipt_remove = forms.BooleanField(label=_("Usuń obecny dowód zakupu"), required=False)

    class Meta:
        model = Expense
        fields = (
            "name",
            "category",
            "date",
            "amount",
            "vat_rate",
            "vat_amount",
            "gross_amount",
            "currency",
            "payment_method",
            "supplier",
            "supplier_tax_id",
            "reference_number",
            "customer",
            "billable",
            "owner",
            "description",
        )
        field_classes = {"date": params.DateField}
        widgets = {
            "date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "currency": forms.TextInput(attrs={"maxlength": 3, "autocapitalize": "characters"}),
        }

    SERVICE_FIELDS = Meta.fields  # passed to the services as typed (they compute the missing amounts)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        customer = model_choice_field(self, "customer")
        customer.queryset = customers_visible_to(user)
        customer.widget = SearchSelect("sales:customer_options", search_label=str(_("Szukaj klienta")))
        customer.widget.choices = customer.choices
        model_choice_field(self, "category").queryset = ExpenseCategory.objects.all()
        if is_manager(user):
            owner = model_choice_field(self, "owner")
            owner.queryset = _staff()
            owner.required = True
            owner.empty_label = None
        else:
            del self.fields["owner"]  # a Pracownik's expenses are his own
        self.fields["billable"].help_text = _("Koszt poniesiony dla klienta, do doliczenia na jego fakturze.")
        self.fields["supplier_tax_id"].help_text = _("Nieobowiązkowy.")
        if self.instance.pk is None or not self.instance.receipt:
            del self.fields["receipt_remove"]
        if self.instance.pk is not None and not self.is_bound:
            self._amounts_initial()

    def clean_currency(self) -> str:
        return str(self.cleaned_data.get("currency") or "").strip().upper()

    def _amounts_initial(self) -> None:
        """On edit the net and the rate are shown; the VAT only when typed by hand (it
        differs from the rate's), so a changed net gets its VAT recomputed."""
        expense = self.instance
        self.initial["gross_amount"] = None
        if expense.vat_amount == rate_vat(expense.vat_rate, expense.amount):
            self.initial["vat_amount"] = None

    def service_data(self) -> dict[str, Any]:
        """What the service takes: the model fields, and the receipt when one was chosen."""
        data = {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS if name in self.cleaned_data}
        if self.cleaned_data.get("receipt_upload"):
            data["receipt"] = self.cleaned_data["receipt_upload"]
        return data


class ExpenseFilterForm(forms.Form):
    """Filters of the list page and of GET /api/v1/expenses/ (every one optional)."""

    small = True

    search = forms.CharField(label=_("Szukaj"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Kategoria"), required=False)
    customer = forms.ModelChoiceField(
        label=_("Klient"),
        queryset=Customer.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Wybierz klienta z listy.")},
    )
    billable = forms.ChoiceField(
        label=_("Refakturowanie"),
        required=False,
        choices=[("", _("Wszystkie")), ("true", _("Do refakturowania")), ("false", _("Bez refakturowania"))],
    )
    invoiced = forms.ChoiceField(
        label=_("Na fakturze"),
        required=False,
        choices=[("", _("Wszystkie")), ("true", _("Zafakturowane")), ("false", _("Niezafakturowane"))],
    )
    owner = forms.ModelChoiceField(
        label=_("Osoba"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Wszyscy"),
        error_messages={"invalid_choice": _("Wybierz osobę z listy.")},
    )
    date_from = params.DateField(label=_("Od dnia"), required=False, widget=DateInput())
    date_to = params.DateField(label=_("Do dnia"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = [(str(c.pk), c.name) for c in ExpenseCategory.objects.all()]
        choice_field(self, "category").choices = [
            ("", _("Wszystkie kategorie")),
            *categories,
            (UNCATEGORISED, _("Bez kategorii")),
        ]
        self.fields["category"].error_messages["invalid_choice"] = _("Wybierz kategorię z listy.")
        for name in ("billable", "invoiced"):
            self.fields[name].error_messages["invalid_choice"] = _("Wybierz „true” albo „false”.")
        customer = model_choice_field(self, "customer")
        customer.queryset = customers_visible_to(user)
        customer.empty_label = _("Wszyscy klienci")
        customer.widget = SearchSelect("sales:customer_options", search_label=str(_("Szukaj klienta")))
        customer.widget.choices = customer.choices
        owner = model_choice_field(self, "owner")
        owner.queryset = _staff() if is_manager(user) else User.objects.filter(pk=user.pk)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Data końcowa jest wcześniejsza niż początkowa."))
        return data

    def filters(self) -> ExpenseFilters:
        """The chosen filters (none when the form is invalid)."""
        if not self.is_bound or not self.is_valid():
            return ExpenseFilters()
        data = self.cleaned_data
        category = data.get("category") or ""
        return ExpenseFilters(
            category_id=int(category) if category.isascii() and category.isdigit() and len(category) <= 18 else None,
            uncategorised=category == UNCATEGORISED,
            customer_id=data["customer"].pk if data.get("customer") else None,
            billable=YES_NO.get(data.get("billable") or ""),
            invoiced=YES_NO.get(data.get("invoiced") or ""),
            owner_id=data["owner"].pk if data.get("owner") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            search=data.get("search") or "",
        )


class ReportFilterForm(ExpenseFilterForm):
    """Filters of the monthly report: the period (default: the last twelve months),
    category, customer, billable, person."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("search", "invoiced"):
            del self.fields[name]
        self.fields["date_from"].help_text = _("Puste: 12 miesięcy wstecz.")

    def period(self) -> tuple[date, date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start, end = data.get("date_from"), data.get("date_to")
        if start is None:
            start = default_period(end or today)[0]
        return start, end or max(today, start)
